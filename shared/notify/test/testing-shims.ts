// @fixline/testing's front door does not export the fake APIs yet; the claude package's tests reach them the same way.
export { startFakeGitHub, startFakeSlack, startFakeJira, startFakeSentry, type FakeGitHub, type FakeSlack, type FakeJira, type FakeSentry } from "../../testing/src/fake-apis/index";
