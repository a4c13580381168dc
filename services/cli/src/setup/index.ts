export { runGitHubAppSetup, defaultKeyPath, type GitHubAppSetup, type GitHubAppSetupOptions, type CreatedGitHubApp } from "./run-github-app-setup";
export { githubAppManifest, githubAppPermissions, githubAppEvents } from "./github-app-manifest";
export { updateDotEnv } from "./update-dot-env";
