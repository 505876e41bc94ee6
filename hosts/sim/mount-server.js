// The mount server process of mount-process.js: `node mount-server.js DIR OPTIONS_JSON` serves the
// simulated mount until SIGTERM/SIGINT, or until its stdin closes: if the parent dies without
// stopping it, the mount goes with it instead of staying live and busy.
import { runMount } from "./mount.js";

const [dir, opts] = [process.argv[2], JSON.parse(process.argv[3])];
process.stdin.on("end", () => process.kill(process.pid, "SIGTERM")).resume();
process.exit(await runMount(dir, opts)); // stdin would keep it alive after unmounting
