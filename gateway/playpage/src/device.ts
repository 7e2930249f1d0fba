// The guest's device id, kept in localStorage so a reload (or another day)
// signs in as the same player.
const deviceKey = "proofstell.deviceId";

/** Returns this browser's device id, making one on first use. */
export function deviceId(): string {
  const kept = localStorage.getItem(deviceKey);
  if (kept) return kept;
  const id = uuid();
  localStorage.setItem(deviceKey, id);
  return id;
}

// uuid is a random (v4) UUID. crypto.randomUUID needs a secure context;
// a node reached over plain HTTP on a LAN address is not one.
function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
