// Checking a finished game by hand: the seed commitment, the mole schedule
// and the replay verifier of docs/FAIRNESS.md, in the browser and on Node
// (Web Crypto SHA-256 and BigInt only).
export { verifyReplay, type Check, type Divergence, type VerifyReport } from "./verify.js";
export {
  encodeReplay,
  replayEncoding,
  VerifyError,
  type ReplayDocument,
  type ReplayInput,
  type ReplayLimits,
  type ReplayResult,
  type ReplayRules,
} from "./replay.js";
export { commitment, schedule, Stream, type ScheduledMole, type ScheduleRules } from "./schedule.js";
