export { createSampleRemote, sampleRepos, type CreateSampleRemoteOptions, type SampleRemote, type SampleRepoName } from "./create-sample-remote";
