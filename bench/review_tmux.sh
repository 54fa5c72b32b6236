#!/usr/bin/env bash
# Run `qcode review` for real in an 80x24 tmux terminal, drive it with send-keys, and save
# the screen to docs/review_screen.txt. Needs tmux (apt-get install tmux). Run from the
# repository root after `make demo` (it uses demo_out/study, on a copy).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cp "$root/demo_out/study/qcode.db" "$work/"
session=qcode-review-$$
tmux new-session -d -s "$session" -x 80 -y 24 \
  "cd $work && QCODE_CODER=tmux NO_COLOR= $root/.venv/bin/qcode review guardia_lurigancho_2016 --restart; sleep 30"
sleep 4                      # start-up: opening the project, first screen
for key in Enter Enter Enter Enter Enter Enter; do
  tmux send-keys -t "$session" "$key"; sleep 0.3
done
tmux send-keys -t "$session" 1; sleep 0.5
tmux capture-pane -t "$session" -p > "$root/docs/review_screen.txt"
tmux send-keys -t "$session" q; sleep 0.5
tmux kill-session -t "$session" 2>/dev/null || true
echo "screen saved to docs/review_screen.txt"
cat "$root/docs/review_screen.txt"
