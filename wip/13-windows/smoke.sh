#!/bin/bash
# Smoke: main's server + the Windows agent under Wine.
set -u
G=${G:-/work/main/build/gleaner}
EXE=${EXE:-/work/wt-windows/build-windows/gleaner.exe}
D=/tmp/smoke/run; rm -rf $D; mkdir -p $D
export WINEPREFIX=/tmp/wtest/prefix WINEDEBUG=${WD:--all} DISPLAY=
$G server --data $D/data --listen 127.0.0.1:0 --lease 3s --poll 200ms > $D/server.log 2>&1 &
SP=$!
for i in $(seq 50); do [ -s $D/data/server.url ] && break; sleep 0.2; done
export GLEANER_TOKEN=$(cat $D/data/admin.token)
JOIN=$($G token create --role agent | tail -1)
echo "join: $JOIN"
${JOIN_OVERRIDE:+true} 
[ -n "${WRONG:-}" ] && JOIN=$(echo "$JOIN" | sed -E 's/ca=[0-9a-f]{64}/ca=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/')
/usr/lib/wine/wine64 $EXE agent --join "$JOIN" --work "Z:$D/agent" --slots 2 --name winpc --checkpoint-interval 200ms > $D/agent.out 2> $D/agent.err &
AP=$!
sleep ${WAIT:-15}
$G hosts --json | head -c 1500; echo
if [ -z "${WRONG:-}" ]; then
  cp /work/wt-windows/build/windows/gleaner-test-tool.exe $D/
  JOB=$($G submit -n 3 --input $D/gleaner-test-tool.exe --output 'res/*.txt' -- gleaner-test-tool.exe square '{i}' | head -1)
  JOB2=$($G submit -- cmd /c "echo hello from cmd" | head -1)
  timeout 60 $G wait $JOB --timeout 50s; echo "wait rc=$?"
  timeout 30 $G wait $JOB2 --timeout 25s; echo "wait2 rc=$?"
  $G tasks $JOB; $G tasks $JOB2
  $G fetch $JOB --to $D/out >/dev/null; $G fetch $JOB2 --to $D/out2 > /dev/null
  find $D/out $D/out2 -type f | head -20; cat $D/out/1/res/* $D/out/1/stdout $D/out/1/stderr $D/out2/0/stdout
fi
wait $AP 2>/dev/null & sleep 1
kill $AP $SP 2>/dev/null
/usr/lib/wine/wineserver -k
echo "--- agent log"; tail -30 $D/agent.err
