/**
 * The GitHub Actions every workflow of this repository may use, each pinned to the full commit SHA of one
 * release tag. projen's generated workflows get these pins from `.projenrc.ts` (`pinGithubActions`); the
 * hand-written ones (`deploy.yml`, `diff.yml`, `integ-live.yml`) spell them out; `test/ci/workflows.test.ts`
 * fails on any `uses:` that is not exactly `<action>@<sha> # <tag>` from this table.
 *
 * Each commit was checked against the tag in the action's own repository, except where a note says otherwise.
 */
import type { github } from 'projen';

export interface ActionPin {
  /** The release tag the commit belongs to (written as a comment after the SHA). */
  readonly tag: string;
  /** The full 40-character commit SHA. */
  readonly sha: string;
}

export const ACTION_PINS: Readonly<Record<string, ActionPin>> = {
  'actions/checkout': { tag: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  'actions/setup-node': { tag: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  // projen 0.103.25 ships 043fb46d1a93c77aae656e7c1c64a875d1fc6a0a as v7.0.1; the repository snapshot available
  // for checking ends at v7.0.0, so the checked v7.0.0 commit is used.
  'actions/upload-artifact': { tag: 'v7.0.0', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f' },
  'actions/download-artifact': { tag: 'v8.0.1', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c' },
  'actions/setup-python': { tag: 'v7.0.0', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97' },
  'actions/setup-go': { tag: 'v7.0.0', sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e' },
  'actions/setup-dotnet': { tag: 'v6.0.0', sha: 'a98b56852c35b8e3190ac28c8c2271da59106c68' },
  // projen asks for v6.0.0, which has no tag in actions/setup-java's repository as checked (its newest tag is
  // v5.7.0), so v5.7.0 is used.
  'actions/setup-java': { tag: 'v5.7.0', sha: 'b6effb05e454b25005698d916606bdc6ffcbf961' },
  'amannn/action-semantic-pull-request': { tag: 'v6.1.1', sha: '48f256284bd46cdaab1048c3721360e808335d50' },
  'peter-evans/create-pull-request': { tag: 'v8.1.1', sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1' },
  'aws-actions/configure-aws-credentials': { tag: 'v4', sha: '7474bc4690e29a8392af63c5b98e7449536d5c3a' },
  'docker/setup-qemu-action': { tag: 'v3', sha: 'c7c53464625b32c7a7e944ae62b3e17d2b600130' },
};

/** `owner/name@<sha>` for an action of the table (throws for any other action). */
export function pinnedAction(action: string): string {
  const pin = ACTION_PINS[action];
  if (!pin) {
    throw new Error(`no pin for GitHub action ${action}: add it to projenrc/action-pins.ts`);
  }
  return `${action}@${pin.sha}`;
}

/** Appends ` # <tag>` to every `uses: <action>@<sha>` line of the table (YAML text in, YAML text out). */
export function commentPins(yaml: string): string {
  return yaml.replace(/^(\s*(?:- )?uses: )([^\s@]+)@([0-9a-f]{40})\s*$/gm, (line, prefix, action, sha) => {
    const pin = ACTION_PINS[action];
    return pin && pin.sha === sha ? `${prefix}${action}@${sha} # ${pin.tag}` : line;
  });
}

interface SynthesizedYaml {
  synthesizeContent(resolver: unknown): string | undefined;
}

/**
 * Makes projen's workflows use the pinned commits, with the tag as a comment after each one.
 * projen's `GitHubActionsProvider` substitutes the action references; the comment is added to the YAML
 * text projen renders (a comment can't be expressed in the workflow object itself).
 */
export function pinGithubActions(gh: github.GitHub): void {
  for (const action of Object.keys(ACTION_PINS)) {
    gh.actions.set(action, pinnedAction(action));
  }
  for (const workflow of gh.workflows) {
    const file = workflow.file as unknown as SynthesizedYaml | undefined;
    if (!file) continue;
    const render = file.synthesizeContent.bind(file);
    file.synthesizeContent = (resolver: unknown) => {
      const content = render(resolver);
      return content === undefined ? undefined : commentPins(content);
    };
  }
}
