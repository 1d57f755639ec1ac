// Publishes the API-change report on a pull request: one comment, found again by a hidden
// marker and edited in place on later runs (no pile of comments), and the `breaking` label,
// added or removed to match. Used by actions/github-script in `pull-request.yml` (branches of
// this repository) and `pull-request-report.yml` (forks).
"use strict";

const MARKER = "<!-- ecosuite-api-report -->";
const LABEL = "breaking";
// GitHub refuses comments over 65536 characters.
const LIMIT = 60000;

module.exports = async function publish({ github, context, core, pullNumber, report, breaking }) {
  const { owner, repo } = context.repo;
  const issue = { owner, repo, issue_number: pullNumber };

  let text = report.trim();
  if (text.length > LIMIT) {
    text =
      text.slice(0, LIMIT) +
      "\n\n… the report is cut short here; the whole report is the `api-report` artifact and the job summary of the `pull request` workflow.";
  }
  const body = `${MARKER}\n${text}\n`;

  const comments = await github.paginate(github.rest.issues.listComments, { ...issue, per_page: 100 });
  const previous = comments.find(
    (comment) => comment.user && comment.user.type === "Bot" && (comment.body || "").startsWith(MARKER),
  );
  if (previous) {
    if (previous.body !== body) {
      await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    }
    core.info(`updated the report comment ${previous.html_url}`);
  } else {
    const { data: created } = await github.rest.issues.createComment({ ...issue, body });
    core.info(`posted the report comment ${created.html_url}`);
  }

  const { data: labels } = await github.rest.issues.listLabelsOnIssue({ ...issue, per_page: 100 });
  const labelled = labels.some((label) => label.name === LABEL);
  if (breaking && !labelled) {
    await github.rest.issues.addLabels({ ...issue, labels: [LABEL] });
    core.info(`added the ${LABEL} label`);
  } else if (!breaking && labelled) {
    try {
      await github.rest.issues.removeLabel({ ...issue, name: LABEL });
      core.info(`removed the ${LABEL} label`);
    } catch (error) {
      // Someone removed it meanwhile.
      if (error.status !== 404) throw error;
    }
  }
};
