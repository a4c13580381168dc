export { createSampleRemote, sampleRepos, type CreateSampleRemoteOptions, type SampleRemote, type SampleRepoName } from "./create-sample-remote";
export { shopPlan, shopRedTest, shopFixedSource } from "./shop-answers";
