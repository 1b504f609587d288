// The approvals a pull request has, as `tap-drift verify-approvals --given` reads them: each reviewer whose latest
// review approves (never the author), with the approval groups of the rules file (GitHub teams of the same slug) they
// are an active member of. Run by actions/github-script from the BASE branch's checkout, in a job that runs none of the
// pull request's code: team membership needs a token that can read the organization's teams.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');

/**
 * @param {{ github: any, context: any, core: any, rulesFile: string, out: string }} args
 * @returns {Promise<Array<{ approver: string, groups: string[] }>>}
 */
module.exports = async function givenApprovals({ github, context, core, rulesFile, out }) {
  const pr = context.payload.pull_request;
  const reviews = await github.paginate(github.rest.pulls.listReviews, { ...context.repo, pull_number: pr.number });
  // The latest APPROVED / CHANGES_REQUESTED / DISMISSED review of each reviewer counts; comments do not change it.
  const latest = new Map();
  for (const review of reviews) if (review.user && review.state !== 'COMMENTED') latest.set(review.user.login, review.state);
  const approvers = [...latest].filter(([login, state]) => state === 'APPROVED' && login !== pr.user.login).map(([login]) => login);
  // The pull request that introduces the rules finds none on its base branch: no groups (nothing can be required yet).
  if (!existsSync(rulesFile)) core.warning(`${rulesFile} is not on the base branch: approvers are listed without groups`);
  const groups = existsSync(rulesFile) ? Object.keys(JSON.parse(readFileSync(rulesFile, 'utf8')).groups ?? {}) : [];
  const given = [];
  for (const approver of approvers) {
    const member = [];
    for (const team of groups) {
      try {
        const { data } = await github.rest.teams.getMembershipForUserInOrg({ org: context.repo.owner, team_slug: team, username: approver });
        if (data.state === 'active') member.push(team);
      } catch (error) {
        // 404: not a member (or no such team). Anything else (401/403: the token cannot read teams) is an error.
        if (error.status !== 404) throw error;
      }
    }
    given.push({ approver, groups: member });
  }
  writeFileSync(out, `${JSON.stringify(given, null, 2)}\n`);
  core.info(`approvals: ${JSON.stringify(given)}`);
  return given;
};
