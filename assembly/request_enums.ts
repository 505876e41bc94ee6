// The report machine's enums for hosts (hosts/js/tsm-core.js reads them at load): operation
// kinds (tsm/request.ts OpKind) and the result blobs tsm_request_result_ptr/len take.
import { OpKind } from "./tsm/request";
import { begin, group, member, end } from "./render/enums";

export function tsm_request_enums(): usize {
  begin();
  group("ops");
  member("mkdir", OpKind.MKDIR); member("read", OpKind.READ); member("write", OpKind.WRITE);
  member("rmdir", OpKind.RMDIR); member("sleep", OpKind.SLEEP); member("done", OpKind.DONE);
  member("failed", OpKind.FAILED);
  group("blobs"); // tsm/request_abi.ts blob(): which 0, 1, 2
  member("outblob", 0); member("auxblob", 1); member("manifestblob", 2);
  return end();
}
