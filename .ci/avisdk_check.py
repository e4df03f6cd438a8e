#!/usr/bin/env python3
"""Check `akoctl dev-controller` against the official Avi Python SDK (avisdk).

Starts the dev controller on a free loopback port, then, through avisdk's
ApiSession: logs in, creates a pool, a pool group and a virtual service by
name refs, checks 409 on a duplicate and 400 on a dangling ref, lists with
pagination, patches (add, replace, delete), checks that deleting a referenced
pool is refused with "referred by", deletes everything in order (204, then
404), and stops the controller. Exit status 0 when every check passed.

Usage: python3 .ci/avisdk_check.py [--akoctl target/debug/akoctl]
"""

import argparse
import os
import secrets
import subprocess
import sys

from avi.sdk.avi_api import ApiSession

FAILURES = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        FAILURES.append(what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--akoctl", default=None, help="path to the akoctl binary")
    args = ap.parse_args()
    akoctl = args.akoctl
    if akoctl is None:
        for p in ("target/debug/akoctl", "target/release/akoctl"):
            if os.path.exists(p):
                akoctl = p
                break
    if akoctl is None:
        print("akoctl binary not found; pass --akoctl", file=sys.stderr)
        return 2
    password = secrets.token_hex(12)
    env = dict(os.environ, AVI_PASSWORD=password)
    proc = subprocess.Popen(
        [akoctl, "dev-controller", "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            print("the dev controller did not start: %r" % url, file=sys.stderr)
            return 2
        run(url, password)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all checks passed")
    return 0


def run(url, password):
    api = ApiSession(controller_ip=url, username="admin", password=password,
                     tenant="admin", api_version="22.1.3")
    check(bool(api.remote_api_version.get("Version")), "login returns the controller version")
    cloud = "/api/cloud/?name=Default-Cloud"

    def pool(name, ip):
        return {"name": name, "cloud_ref": cloud,
                "servers": [{"ip": {"addr": ip, "type": "V4"}, "port": 80}]}

    r = api.post("pool", data=pool("ck-pool-a", "10.0.0.1"))
    check(r.status_code == 201, "create pool A: 201 (%s)" % r.status_code)
    pool_a = r.json()
    r = api.post("pool", data=pool("ck-pool-b", "10.0.0.2"))
    check(r.status_code == 201, "create pool B: 201 (%s)" % r.status_code)
    pool_b = r.json()
    r = api.post("pool", data=pool("ck-pool-a", "10.0.0.1"))
    check(r.status_code == 409 and "already exists" in r.text,
          "duplicate pool: 409 already exists (%s %s)" % (r.status_code, r.text[:160]))

    r = api.post("poolgroup", data={"name": "ck-bad", "cloud_ref": cloud,
                                    "members": [{"pool_ref": "/api/pool/?name=ck-missing"}]})
    check(r.status_code == 400 and "not found" in r.text,
          "dangling ref: 400 not found (%s %s)" % (r.status_code, r.text[:160]))

    r = api.post("poolgroup", data={"name": "ck-pg", "cloud_ref": cloud, "members": [
        {"pool_ref": "/api/pool/?name=ck-pool-a"},
        {"pool_ref": "/api/pool?name=ck-pool-b"}]})
    check(r.status_code == 201, "create pool group by name refs: 201 (%s %s)" % (r.status_code, r.text[:160]))
    pg = r.json()
    members = [m.get("pool_ref", "") for m in pg.get("members", [])]
    check(len(members) == 2 and members[0].split("#")[0].endswith("/api/pool/" + pool_a["uuid"]),
          "refs come back as URLs with uuids: %s" % members)

    r = api.post("vsvip", data={"name": "ck-vip", "cloud_ref": cloud, "vip": [
        {"vip_id": "0", "ip_address": {"addr": "10.10.10.5", "type": "V4"}}]})
    check(r.status_code == 201, "create vsvip: 201 (%s)" % r.status_code)
    vip = r.json()
    r = api.post("virtualservice", data={
        "name": "ck-vs", "cloud_ref": cloud, "vsvip_ref": "/api/vsvip/?name=ck-vip",
        "pool_group_ref": "/api/poolgroup/?name=ck-pg", "services": [{"port": 80}]})
    check(r.status_code == 201, "create virtual service by name refs: 201 (%s %s)" % (r.status_code, r.text[:160]))
    vs = r.json()

    names = [o["name"] for o in api.get_objects_iter("pool", params={"page_size": 1})]
    check(sorted(names) == ["ck-pool-a", "ck-pool-b"], "pagination with page_size=1: %s" % names)
    r = api.get("pool", params={"page_size": 1})
    check(r.json().get("count") == 2 and "next" in r.json(), "count is the total, next is set")
    r = api.get_object_by_name("pool", "ck-pool-a")
    check(r is not None and r.get("uuid") == pool_a["uuid"], "get by name")

    path = "pool/" + pool_a["uuid"]
    r = api.patch(path, data={"add": {"servers": [{"ip": {"addr": "10.0.0.9", "type": "V4"}, "port": 80}]}})
    check(r.status_code == 200 and len(r.json().get("servers", [])) == 2, "PATCH add appends")
    r = api.patch(path, data={"replace": {"lb_algorithm": "LB_ALGORITHM_ROUND_ROBIN"}})
    check(r.status_code == 200 and r.json().get("lb_algorithm") == "LB_ALGORITHM_ROUND_ROBIN",
          "PATCH replace sets")
    r = api.patch(path, data={"delete": {"servers": [{"ip": {"addr": "10.0.0.9"}}]}})
    check(r.status_code == 200 and [s["ip"]["addr"] for s in r.json().get("servers", [])] == ["10.0.0.1"],
          "PATCH delete removes the matching entry")

    r = api.delete(path)
    check(r.status_code in (400, 403) and "referred by" in r.text,
          "deleting a referenced pool is refused (%s %s)" % (r.status_code, r.text[:160]))

    for kind, obj in (("virtualservice", vs), ("vsvip", vip), ("poolgroup", pg),
                      ("pool", pool_a), ("pool", pool_b)):
        r = api.delete("%s/%s" % (kind, obj.get("uuid", "-")))
        check(r.status_code == 204, "delete %s in order: 204 (%s %s)" % (kind, r.status_code, r.text[:160]))
    r = api.delete(path)
    check(r.status_code == 404, "second delete: 404 (%s)" % r.status_code)


if __name__ == "__main__":
    sys.exit(main())
