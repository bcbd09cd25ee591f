/**
 * The first page of /docs: the calls in order from an empty LA to a recorded attempt. A test runs
 * the shell block as printed against a live service, so it cannot drift from what the API accepts.
 */
export const GETTING_STARTED_SCRIPT = String.raw`BASE=http://localhost:3000
TOKEN=paste-the-la_officer-token-here
AUTH="Authorization: Bearer $TOKEN"; JSON="Content-Type: application/json"
id() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }

# 1. Register a pupil on a school roll (the UPN is checked as the DfE checks it)
PUPIL=$(curl -sf "$BASE/v1/pupils" -H "$AUTH" -H "$JSON" -d '{"upn":"H801200001001","givenName":"Sam","familyName":"Taylor","dateOfBirth":"2018-03-14","yearGroup":"3","senProvision":"E","needs":[{"need":"SEMH","rank":1}],"schoolUrn":"100001","admissionDate":"2025-09-03"}' | id pupilId)

# 2. Open a stepped support plan for them
PLAN=$(curl -sf "$BASE/v1/plans" -H "$AUTH" -H "$JSON" -d '{"pupilId":"'$PUPIL'","keyAdult":{"id":"person-key-adult","name":"Ms Patel"},"presentingConcern":"Has not attended since the summer."}' | id planId)

# 3. Gather the views of the pupil and a parent
curl -sf "$BASE/v1/plans/$PLAN/views" -H "$AUTH" -H "$JSON" -d '{"role":"pupil","worries":"The noise in the hall.","whatHelps":"Arriving before the others.","hopes":"To see my friends."}' > /dev/null
curl -sf "$BASE/v1/plans/$PLAN/views" -H "$AUTH" -H "$JSON" -d '{"role":"parent_carer","worries":"Mornings are hard.","whatHelps":"A calm start.","hopes":"A full day at school."}' > /dev/null

# 4. Record the five areas of groundwork
for AREA in shared_narrative rapport preferred_future risk_and_protective_factors underpinning_factors; do
  curl -sf "$BASE/v1/plans/$PLAN/groundwork/$AREA" -H "$AUTH" -H "$JSON" -d '{"summary":"Discussed with the family."}' > /dev/null
done

# 5. Agree a goal in the pupil's words, with the pupil, a parent and the SENCo
AGREED='[{"id":"person-pupil","role":"pupil"},{"id":"person-parent","role":"parent_carer","name":"Ms Reid"},{"id":"person-senco","role":"senco","name":"Mrs Okafor"}]'
curl -sf "$BASE/v1/plans/$PLAN/goals" -H "$AUTH" -H "$JSON" -d '{"goalId":"goal-1","pupilWords":"A full day at school.","participants":'"$AGREED"'}' > /dev/null

# 6. Agree the first step of the ladder (the plan becomes active)
curl -sf "$BASE/v1/plans/$PLAN/goals/goal-1/steps" -H "$AUTH" -H "$JSON" -d '{"steps":[{"stepId":"step-1","description":"Walk to the school gate with Ms Patel","where":"School gate","withWhom":"Ms Patel","supports":["Headphones"],"minutes":15,"timesPerWeek":5,"dependsOn":[],"predictedAnxiety":3}],"participants":'"$AGREED"'}' > /dev/null

# 7. Start practising it, then record an attempt
curl -sf -X POST "$BASE/v1/plans/$PLAN/steps/step-1/start" -H "$AUTH" > /dev/null
curl -sf "$BASE/v1/plans/$PLAN/steps/step-1/attempts" -H "$AUTH" -H "$JSON" -d '{"outcome":"completed","anxietyBefore":6,"anxietyAfter":3,"minutes":15,"pupilWords":"It was easier than I thought."}'`;

export const GETTING_STARTED = `## Getting started

Start the service with \`./run start\` (an embedded database, nothing to install). It prints
development tokens; paste the \`la_officer\` one into \`TOKEN\` below. These calls, run in order in a
shell on a fresh store, take an empty LA to a pupil's first recorded attempt at a step. Each command
answers the plan as it now stands; the last one prints it.

\`\`\`sh
${GETTING_STARTED_SCRIPT}
\`\`\`

Then read the plan (\`GET /v1/plans/$PLAN\`), its history (\`GET /v1/plans/$PLAN/events\`) or follow
every change in your LA with the change feed (\`GET /v1/feed\`). Every \`POST\` takes an
\`Idempotency-Key\` header: send one and retry freely after a network error.`;
