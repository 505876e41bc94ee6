// Minimal strict option parsing for the WASI command: --flag, --opt VALUE, --opt=VALUE, "--"
// ends options; unknown options are errors (exit 2), as with the Node CLI's parseArgs.
export class Args {
  positionals: string[] = [];
  error: string = "";
  private keys: string[] = [];
  private values: string[] = [];

  constructor(private argv: string[], private start: i32) {}

  parse(flags: string[], options: string[]): bool {
    let onlyPositionals = false;
    for (let i = this.start; i < this.argv.length; i++) {
      const s = this.argv[i];
      if (onlyPositionals || !s.startsWith("--") || s == "-") { this.positionals.push(s); continue; }
      if (s == "--") { onlyPositionals = true; continue; }
      const eq = s.indexOf("=");
      const name = eq > 0 ? s.slice(2, eq) : s.slice(2);
      if (flags.includes(name)) {
        if (eq > 0) { this.error = "option --" + name + " takes no value"; return false; }
        this.keys.push(name); this.values.push("");
      } else if (options.includes(name)) {
        let v: string;
        if (eq > 0) v = s.slice(eq + 1);
        else if (i + 1 < this.argv.length) v = this.argv[++i];
        else { this.error = "option --" + name + " needs a value"; return false; }
        this.keys.push(name); this.values.push(v);
      } else {
        this.error = "unknown option '" + s + "'";
        return false;
      }
    }
    return true;
  }

  has(name: string): bool { return this.keys.includes(name); }
  get(name: string): string {
    const i = this.keys.lastIndexOf(name);
    return i < 0 ? "" : this.values[i];
  }
}
