# scripts/bench: turns the /api/v1/ingest body (1 trace + 100 spans, trace id placeholder) into a
# pgbench script doing the same writes the plain way: per transaction one trace row (derived
# fields computed here) and one multi-row INSERT of the 100 span rows, with the columns the
# server writes. The trace id is the pgbench variable :tid. Input: jq -r --arg p PROJECT_ID.

# an SQL literal; pgbench takes every ":name" for a variable, so JSON such as {"a":true} gets a
# space after the colon (the stored jsonb is the same)
def lit: if . == null then "NULL"
  else (if type == "string" then . else tojson end)
    | gsub(":(?<c>[A-Za-z_])"; ": \(.c)")
    | "'" + gsub("'"; "''") + "'"
  end;
def num: if . == null then "NULL" else tostring end;
def cols: join(", ");

.batch[0].body as $t
| [.batch[1:][].body] as $s
| ([$s[] | select(.status == "error")] | length) as $errors
| "\\set tid random(1, 9000000000000000000)",
  "BEGIN;",
  "INSERT INTO traces (project_id, id, name, user_id, session_id, release, tags, metadata, input, output, start_time, end_time, status, span_count, span_errors, input_tokens, output_tokens, total_cost, span_start, span_end, sort_time, is_error) VALUES ("
    + ([($p | lit), ":tid", ($t.name | lit), ($t.user_id | lit), ($t.session_id | lit),
        ($t.release | lit), ("{" + ($t.tags | join(",")) + "}" | lit), ($t.metadata | lit),
        ($t.input | lit), ($t.output | lit), ($t.start_time | lit), ($t.end_time | lit),
        ($t.status | lit), ($s | length | num), ($errors | num),
        ([$s[].input_tokens // 0] | add | num), ([$s[].output_tokens // 0] | add | num),
        ([$s[].cost_usd // 0] | add | num), ([$s[].start_time] | min | lit),
        ([$s[].end_time] | max | lit), ($t.start_time | lit),
        ((($t.status == "error") or ($errors > 0)) | tostring)] | cols) + ");",
  "INSERT INTO spans (project_id, trace_id, id, parent_id, name, kind, start_time, end_time, status, status_message, model, input_tokens, output_tokens, cost_usd, input, output, attributes) VALUES",
  ([$s[] | "(" + ([($p | lit), ":tid", (.id | lit), (.parent_id | lit), (.name | lit), (.kind | lit),
        (.start_time | lit), (.end_time | lit), (.status | lit), (.status_message | lit),
        (.model | lit), (.input_tokens | num), (.output_tokens | num), (.cost_usd | num),
        (.input | lit), (.output | lit), (.attributes | lit)] | cols) + ")"] | join(",\n")) + ";",
  "END;"
