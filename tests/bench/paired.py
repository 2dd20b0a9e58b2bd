#!/usr/bin/env python3
"""Paired timing of our benchmark against a reference, for ratios that survive this shared machine's drift.

Both programs start once in serve mode (`--serve`): each line written to one runs one unit of work (an epoch, a
batch of heatmaps) and answers with one JSON line holding at least "seconds". The units alternate ABBA
(ours, reference, reference, ours, ...), with a short pause between them so neither side's spinning threads
overlap the other's unit, and every round gives one ratio reference/ours from measurements seconds apart. The
median of those ratios is the figure to quote; a single back-to-back run of the two whole programs can be
1.5x off here because the machine's speed drifts over minutes.

  paired.py --rounds 8 --ours "build/tests/bench/bench_fmnist_mlp --serve" \\
            --reference "python tests/bench/reference/pytorch_fmnist_mlp.py --serve"

Prints per-round lines on stderr and one JSON object on stdout: median seconds of each side, the median ratio
with its range, and the median of ours' "gemm_seconds"/"seconds" (train/GEMM) when ours reports it.
"""
import argparse
import json
import shlex
import statistics
import subprocess
import sys
import time


class Server:
    def __init__(self, command, cwd):
        self.command = command
        self.process = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, cwd=cwd)

    def unit(self):
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            sys.exit(f"paired.py: '{self.command}' ended without answering (exit {self.process.wait()})")
        result = json.loads(line)
        if "error" in result:
            sys.exit(f"paired.py: '{self.command}': {result['error']}")
        return result

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between units")
    parser.add_argument("--reference-cwd", default=None, help="working directory of the reference")
    args = parser.parse_args()

    ours = Server(args.ours, None)
    reference = Server(args.reference, args.reference_cwd)
    rounds = []
    for r in range(args.warmup + args.rounds):
        order = [ours, reference] if r % 2 == 0 else [reference, ours]
        got = {}
        for server in order:
            time.sleep(args.pause)
            got[server] = server.unit()
        if r < args.warmup:
            continue
        a, b = got[ours], got[reference]
        rounds.append((a, b))
        print(f"round {r - args.warmup + 1}: ours {a['seconds']:.4f} s, reference {b['seconds']:.4f} s, "
              f"ratio {b['seconds'] / a['seconds']:.2f}", file=sys.stderr)
    ours.close()
    reference.close()

    ratios = sorted(b["seconds"] / a["seconds"] for a, b in rounds)
    result = {
        "rounds": len(rounds),
        "ours_seconds_median": statistics.median(a["seconds"] for a, _ in rounds),
        "reference_seconds_median": statistics.median(b["seconds"] for _, b in rounds),
        "ratio_median": statistics.median(ratios),
        "ratio_min": ratios[0],
        "ratio_max": ratios[-1],
    }
    if all("gemm_seconds" in a for a, _ in rounds):
        result["ours_gemm_vs_unit_median"] = statistics.median(a["gemm_seconds"] / a["seconds"] for a, _ in rounds)
    if all("gemm_seconds" in b for _, b in rounds):
        result["reference_gemm_vs_unit_median"] = statistics.median(b["gemm_seconds"] / b["seconds"] for _, b in rounds)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
