import { describe, expect, it } from "vitest";
import { graphqlUrl } from "./graphql-url";

describe("graphqlUrl", () => {
  it("derives the GraphQL endpoint for github.com and Enterprise Server", () => {
    expect(graphqlUrl("https://api.github.com")).toBe("https://api.github.com/graphql");
    expect(graphqlUrl("https://api.github.com/")).toBe("https://api.github.com/graphql");
    expect(graphqlUrl("https://ghe.acme.com/api/v3")).toBe("https://ghe.acme.com/api/graphql");
    expect(graphqlUrl("https://ghe.acme.com/api/v3/")).toBe("https://ghe.acme.com/api/graphql");
    expect(graphqlUrl("http://127.0.0.1:4010")).toBe("http://127.0.0.1:4010/graphql");
  });
});
