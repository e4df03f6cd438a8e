#!/bin/sh
# Fill fuzz/corpus/<target>/ with seeds from the repository's test data.
# Run from the repository root: sh fuzz/seed.sh
set -eu
C=fuzz/corpus
mkdir -p $C/manifest $C/values $C/compile $C/planfile $C/controller
i=0
for f in testdata/compile/*/input.yaml testdata/input/*.yaml testdata/input/*.json \
         testdata/examples/*/manifests/*.yaml testdata/errors/*/input.yaml testdata/plan/*.yaml; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  cp "$f" "$C/manifest/seed-$i"
  # compile: the first byte picks the settings (0 quickstart, 1 EVH, 2 OpenShift).
  for s in 0 1 2; do
    { printf "\\00$s"; cat "$f"; } > "$C/compile/seed-$i-$s"
  done
done
i=0
for f in testdata/compile/*/values.yaml testdata/settings/*.yaml testdata/examples/*/values.yaml \
         testdata/plan/values.yaml testdata/errors/*/values.yaml; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  cp "$f" "$C/values/seed-$i"
done
i=0
for f in testdata/plan/*.json testdata/compile/*/oracle.json; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  cp "$f" "$C/planfile/seed-$i"
done
# controller: the first byte picks the parser (0 login, 1 page, 2 error body, 3 URL, 4 versions).
printf '\000csrftoken=abc; Path=/|sessionid=s1; HttpOnly\n{"version": {"Version": "22.1.3"}, "session_cookie_name": "sessionid"}' > $C/controller/login
printf '\000avi-sessionid=x|csrftoken=y\n{}' > $C/controller/login2
printf '\001{"count": 2, "results": [{"name": "a", "uuid": "pool-1"}], "next": "https://c/api/pool?page=2"}' > $C/controller/page
printf '\001{"count": 0, "results": []}' > $C/controller/page-last
printf '\002{"error": "Cannot find object"}' > $C/controller/error
printf '\002<html>Bad Gateway</html>' > $C/controller/error-html
printf '\003https://[fd00::1]:8443/' > $C/controller/url
printf '\00422.1.10\n30.2.1-9000' > $C/controller/versions
# planfile: compiled object sets and a saved plan, when a built akoctl is at hand.
A=${AKOCTL:-target/debug/akoctl}
if [ -x "$A" ]; then
  for ex in testdata/examples/*/; do
    n=$(basename "$ex")
    "$A" compile -f "$ex/manifests" --values "$ex/values.yaml" --cloud-facts "$ex/cloud-facts.yaml" -o json \
      > "$C/planfile/compiled-$n" 2>/dev/null || true
    "$A" plan -f "$ex/manifests" --values "$ex/values.yaml" --cloud-facts "$ex/cloud-facts.yaml" \
      --out "$C/planfile/plan-$n" > /dev/null 2>&1 || true
  done
fi
