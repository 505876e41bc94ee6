// The relying party's policy applied to a CCA token's claims (policy.cca, validated in
// ../policy.js): the nonce in the realm challenge, the profiles, the platform lifecycle, the
// realm's measurements and personalization value, and the platform's software components.
import { checkReportData, short } from "../policy.js";

const oneOf = (what, actual, allowed) => (allowed.includes(actual) ? `${what} = ${short(actual)}`
  : `${what} ${short(actual ?? "(absent)")} is ${allowed.length === 1 ? `not the expected ${short(allowed[0])}` : `none of the ${allowed.length} allowed values`}`);

// The claim rules tsmkit knows (the decoder's profileRules); "unknown" keeps claims undecoded.
const KNOWN_RULES = ["legacy", "1.0", "2.0"];

/** The realm challenge against policy.reportData (the caller's nonce, zero-padded to 64 bytes as the RMM pads arm_cca_guest's inblob). */
function checkChallenge(checks, challenge, policy) {
  if (typeof challenge !== "string") checks.add("policy.reportData", false, "the realm token has no challenge claim (10)");
  else checkReportData(checks, challenge, policy, "realm challenge");
}

function checkProfiles(checks, platform, realm, profiles) {
  const name = (c) => c.profile ?? "(none)";
  const said = `platform profile ${name(platform)}, realm profile ${name(realm)}`;
  if (profiles === null) {
    const unknown = [["platform", platform], ["realm", realm]].filter(([, c]) => !KNOWN_RULES.includes(c.profileRules));
    checks.add("policy.cca.profile", !unknown.length, unknown.length
      ? `${unknown.map(([w, c]) => `${w} profile ${name(c)}`).join(" and ")} has no claim rules in tsmkit (list it in cca.profiles to accept it)`
      : said);
    return;
  }
  const off = [["platform", platform], ["realm", realm]].filter(([, c]) => !profiles.includes(c.profile ?? null));
  checks.add("policy.cca.profile", !off.length, off.length
    ? `${off.map(([w, c]) => `${w} profile ${name(c)}`).join(" and ")} is not in cca.profiles` : `${said}, both allowed`);
}

function checkLifecycle(checks, lifecycle, allow) {
  if (!lifecycle) {
    checks.add("policy.cca.lifecycle", false, "the platform token has no lifecycle claim (2395)");
    return;
  }
  const raw = `0x${lifecycle.raw.toString(16).padStart(4, "0")}`;
  if (lifecycle.secured) {
    checks.add("policy.cca.lifecycle", true, `platform lifecycle ${lifecycle.state} (${raw})`);
  } else if (allow) {
    checks.add("policy.cca.lifecycle", true, `WAIVED by policy cca.allowNonSecuredLifecycle: platform lifecycle ${lifecycle.state} (${raw}) is not secured`, { waived: true });
  } else {
    checks.add("policy.cca.lifecycle", false, `platform lifecycle ${lifecycle.state} (${raw}) is not secured (cca.allowNonSecuredLifecycle accepts it)`);
  }
}

function checkRems(checks, rems, want) {
  const off = [];
  want.forEach((allowed, i) => {
    if (allowed && !allowed.includes(rems?.[i])) off.push(oneOf(`REM[${i}]`, rems?.[i], allowed));
  });
  checks.add("policy.cca.rems", !off.length, off.length ? off.join("; ") : `REMs match (${want.filter(Boolean).length} pinned)`);
}

/** Whether software component `c` is the reference value `ref` (every field `ref` gives). */
const matches = (c, ref) => c.measurementValue === ref.measurement && (ref.type === undefined || c.measurementType === ref.type)
  && (ref.signerId === undefined || c.signerId === ref.signerId) && (ref.version === undefined || c.version === ref.version);

function checkSwComponents(checks, components, refs) {
  const list = components ?? [];
  const unknown = list.map((c, i) => [c, i]).filter(([c]) => !refs.some((r) => matches(c, r)));
  checks.add("policy.cca.swComponents", list.length > 0 && !unknown.length, !list.length ? "the platform token lists no software components"
    : unknown.length ? `${unknown.length} of ${list.length} software components match no reference value: ${unknown.map(([c, i]) =>
      `#${i} ${c.measurementType ?? "(no type)"} ${short(c.measurementValue)}`).join(", ")}`
      : `all ${list.length} software components match reference values`);
}

/** The policy's CCA requirements on a decoded token, recorded into `checks`. */
export function checkCcaPolicy(checks, token, policy) {
  const platform = token.platform.claims, realm = token.realm.claims, cca = policy.cca;
  checkChallenge(checks, realm.challenge, policy);
  checkProfiles(checks, platform, realm, cca.profiles);
  checkLifecycle(checks, platform.lifecycle, cca.allowNonSecuredLifecycle);
  if (cca.rim) {
    checks.add("policy.cca.rim", cca.rim.includes(realm.initialMeasurement), oneOf("RIM", realm.initialMeasurement, cca.rim));
  }
  if (cca.rems) checkRems(checks, realm.extensibleMeasurements, cca.rems);
  if (cca.personalizationValue) {
    checks.add("policy.cca.personalizationValue", cca.personalizationValue.includes(realm.personalizationValue),
      oneOf("personalization value", realm.personalizationValue, cca.personalizationValue));
  }
  if (cca.swComponents) checkSwComponents(checks, platform.softwareComponents, cca.swComponents);
}
