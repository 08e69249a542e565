#!/usr/bin/env python3
"""Follower lag between two Dossier replicas on one PostgreSQL log.

Usage: replica_lag.py URL_A URL_B TOKEN SAMPLES

Each sample writes a supervision record through one replica (alternating), takes the position
the write was acknowledged at, and asks the other replica a trivial query with
`X-Dossier-At-Least: POSITION`: that replica answers only once its read models have applied the
write. The lag of a sample is the time from the acknowledgement to that answer (it includes
one loopback round trip of the trivial query). Prints `lag_p50_ms`, `lag_p99_ms`, `lag_max_ms`.
"""
import http.client
import json
import sys
import time
import urllib.parse


def connect(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30)


def post(conn, token, query, variables=None, headers=None):
    body = json.dumps({"query": query, "variables": variables or {}})
    h = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    h.update(headers or {})
    conn.request("POST", "/graphql", body, h)
    r = conn.getresponse()
    data = json.loads(r.read())
    if r.status != 200 or data.get("errors"):
        raise SystemExit(f"replica answered {r.status}: {data}")
    return data["data"]


MUTATION = """mutation($input: RecordSupervisionInput!) {
  recordSupervision(input: $input, meta: { effective: "2026-11-18" }) { position } }"""


def main():
    url_a, url_b, token, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    conns = [connect(url_a), connect(url_b)]
    lags = []
    for i in range(samples):
        writer, reader = conns[i % 2], conns[(i + 1) % 2]
        entry = {
            "entryId": f"lag-{time.time_ns()}-{i}", "cadreId": f"c{i % 300 + 1:04d}",
            "source": "ORG_SECTION", "sourceName": "干部监督科", "channel": "INSPECTION",
            "kind": "DAILY_CONDUCT", "tone": "NEUTRAL", "content": "复制延迟测量", "observedOn": "2026-11-18",
        }
        position = post(writer, token, MUTATION, {"input": entry})["recordSupervision"]["position"]
        acked = time.perf_counter()
        post(reader, token, "{ me { role } }", headers={"X-Dossier-At-Least": str(position)})
        lags.append((time.perf_counter() - acked) * 1000)
    lags.sort()
    pick = lambda p: lags[min(len(lags) - 1, round((len(lags) - 1) * p))]
    print(f"lag_p50_ms {pick(0.5):.2f}")
    print(f"lag_p99_ms {pick(0.99):.2f}")
    print(f"lag_max_ms {lags[-1]:.2f}")


if __name__ == "__main__":
    main()
