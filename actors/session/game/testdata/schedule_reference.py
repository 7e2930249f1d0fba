#!/usr/bin/env python3
"""Independent reference of docs/FAIRNESS.md's schedule, written from the
document alone (not from the Go code). It writes schedule_vectors.json, which
TestSchedule_Vectors checks the Go Schedule against; a verifier in another
language should pass the same vectors.

Usage: python3 schedule_reference.py > schedule_vectors.json
"""
import hashlib
import json
import struct

LABEL = b"proofstell/mole/v1"
HOLE_REST_NS = 1_000_000_000
U64 = 1 << 64


class Stream:
    def __init__(self, seed: bytes, label: bytes, index: int):
        self.prefix = seed + label + struct.pack(">Q", index)
        self.block = 0
        self.words = []

    def u64(self) -> int:
        if not self.words:
            digest = hashlib.sha256(self.prefix + struct.pack(">I", self.block)).digest()
            self.block += 1
            self.words = list(struct.unpack(">4Q", digest))
        return self.words.pop(0)

    def intn(self, n: int) -> int:
        limit = U64 - (U64 % n)
        while True:
            w = self.u64()
            if w < limit:
                return w % n

    def float64(self) -> float:
        return (self.u64() >> 11) / float(1 << 53)


def schedule(seed: bytes, mode: dict) -> list:
    holes = mode["rows"] * mode["cols"]
    interval, visible, duration = mode["spawnIntervalNs"], mode["visibleNs"], mode["durationNs"]
    plan = []
    k = 0
    while k * interval < duration:
        up = k * interval
        busy, shown = set(), 0
        for m in plan:
            if up < m["downNs"] + HOLE_REST_NS:
                busy.add(m["hole"])
            if up < m["downNs"]:
                shown += 1
        free = [h for h in range(holes) if h not in busy]
        if shown < mode["maxMolesUp"] and free:
            s = Stream(seed, LABEL, k)
            hole = free[s.intn(len(free))]
            r = s.float64()
            if r < mode["goldenChance"]:
                kind = "golden"
            elif r < mode["goldenChance"] + mode["bombChance"]:
                kind = "bomb"
            else:
                kind = "normal"
            plan.append({"id": len(plan) + 1, "hole": hole, "kind": kind, "upNs": up, "downNs": up + visible})
        k += 1
    return plan


def commitment(session_id: str, seed: bytes) -> str:
    sid = session_id.encode()
    return hashlib.sha256(b"proofstell/seed-commitment/v1" + struct.pack(">I", len(sid)) + sid + seed).hexdigest()


MODES = [
    {"rows": 3, "cols": 3, "durationNs": 30_000_000_000, "spawnIntervalNs": 1_000_000_000,
     "visibleNs": 800_000_000, "maxMolesUp": 1, "goldenChance": 0.1, "bombChance": 0.05},
    {"rows": 3, "cols": 3, "durationNs": 30_000_000_000, "spawnIntervalNs": 700_000_000,
     "visibleNs": 550_000_000, "maxMolesUp": 2, "goldenChance": 0.0, "bombChance": 0.0},
    {"rows": 1, "cols": 3, "durationNs": 20_000_000_000, "spawnIntervalNs": 250_000_000,
     "visibleNs": 1_500_000_000, "maxMolesUp": 3, "goldenChance": 0.25, "bombChance": 0.25},
    {"rows": 8, "cols": 8, "durationNs": 10_000_000_000, "spawnIntervalNs": 100_000_000,
     "visibleNs": 2_000_000_000, "maxMolesUp": 64, "goldenChance": 0.3, "bombChance": 0.7},
]
SEEDS = [bytes(32), bytes(range(32)), hashlib.sha256(b"proofstell test vector").digest()]
SESSION = "0b7e7f0e-3c1a-4f43-9a57-5d1c2f0e8a11"

if __name__ == "__main__":
    vectors = []
    for seed in SEEDS:
        for mode in MODES:
            vectors.append({"seed": seed.hex(), "mode": mode, "moles": schedule(seed, mode)})
    s = Stream(SEEDS[1], b"test", 7)
    stream = {"seed": SEEDS[1].hex(), "label": "test", "index": 7,
              "words": [str(s.u64()) for _ in range(6)],
              "intn": [[n, Stream(SEEDS[1], b"test", n).intn(n)] for n in (1, 2, 3, 9, 64, 1000003, (1 << 63) + 1)]}
    commitments = [{"sessionId": SESSION, "seed": seed.hex(), "commitment": commitment(SESSION, seed)} for seed in SEEDS]
    print(json.dumps({"schedules": vectors, "stream": stream, "commitments": commitments}, indent=1))
