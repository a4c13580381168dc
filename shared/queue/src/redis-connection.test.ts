import { afterEach, describe, expect, it } from "vitest";
import { Cluster, Redis } from "ioredis";
import { createRedis, describeRedis, redisConnectionOptions } from "./redis-connection";

// The options ioredis ends up with, from a client that never connects (lazyConnect): what managed Redis
// needs is decided here, and a real TLS Redis is not available on our machines.
const clients: Array<Redis | Cluster> = [];
function built(...args: Parameters<typeof createRedis>): Redis {
  const redis = createRedis(args[0], args[1], { lazyConnect: true, ...args[2] });
  clients.push(redis);
  if (!(redis instanceof Redis)) throw new Error("expected a single-node client");
  return redis;
}
afterEach(() => {
  for (const redis of clients.splice(0)) redis.disconnect();
});

const sentinelConfig = (url: string, sentinelPassword?: string) => ({
  url,
  sentinels: [
    { host: "10.0.0.1", port: 26379 },
    { host: "10.0.0.2", port: 26380 },
  ],
  sentinelName: "fixline-master",
  sentinelPassword,
  clusterNodes: [],
});

describe("createRedis connection options", () => {
  it("turns TLS on for rediss:// and leaves it off for redis://", () => {
    expect(built("rediss://cache.example.com:6380", "producer").options.tls).toBeTruthy();
    expect(built({ url: "rediss://cache.example.com:6380", sentinels: [], sentinelName: undefined, sentinelPassword: undefined, clusterNodes: [] }, "worker").options.tls).toBeTruthy();
    expect(built("redis://cache.example.com:6379", "producer").options.tls).toBeFalsy();
  });

  it("takes username, password (percent-decoded), host, port and database from the URL", () => {
    const { options } = built("rediss://fixline-app:p%40ss%3Aw0rd@cache.example.com:6380/3", "worker");
    expect(options).toMatchObject({ username: "fixline-app", password: "p@ss:w0rd", host: "cache.example.com", port: 6380, db: 3 });
    expect(built("redis://:only-a-password@cache:6379", "producer").options).toMatchObject({ username: "", password: "only-a-password" });
  });

  it("keeps the role's retry behaviour whatever the target (workers wait, producers fail fast)", () => {
    expect(built("rediss://u:p@h:1", "worker").options.maxRetriesPerRequest).toBeNull();
    const producer = built(sentinelConfig("redis://u:p@unused"), "producer").options;
    expect(producer.maxRetriesPerRequest).toBe(1);
    expect(producer.enableOfflineQueue).toBe(false);
  });

  it("asks the sentinels for the named master, with the URL's credentials and database for the master", () => {
    const { options } = built(sentinelConfig("redis://fixline-app:master%21pw@ignored-host:6379/2", "sentinel-pw"), "worker");
    expect(options.sentinels).toEqual([
      { host: "10.0.0.1", port: 26379 },
      { host: "10.0.0.2", port: 26380 },
    ]);
    expect(options).toMatchObject({ name: "fixline-master", username: "fixline-app", password: "master!pw", sentinelPassword: "sentinel-pw", db: 2 });
    expect(options.tls).toBeFalsy();
    expect(options.enableTLSForSentinelMode).toBeFalsy();
  });

  it("uses TLS towards the master and the sentinels when the URL is rediss://", () => {
    const { options } = built(sentinelConfig("rediss://fixline-app:pw@ignored-host"), "producer");
    expect(options).toMatchObject({ enableTLSForSentinelMode: true, tls: {}, sentinelTLS: {}, db: 0 });
    expect(options.sentinelPassword).toBeUndefined();
  });

  it("hands a plain URL to ioredis untouched, so its query options keep working", () => {
    expect(redisConnectionOptions("redis://h:1/0?family=6")).toEqual({ url: "redis://h:1/0?family=6", options: {} });
    expect(built("redis://h:1/0?family=6", "producer").options.family).toBe(6);
  });

  it("describes where it points without credentials, for error messages", () => {
    expect(describeRedis(built("redis://u:secret@cache.example.com:6380", "producer"))).toBe("cache.example.com:6380");
    const described = describeRedis(built(sentinelConfig("redis://u:secret@x", "sentinel-pw"), "producer"));
    expect(described).toBe('master "fixline-master" via Sentinel 10.0.0.1:26379,10.0.0.2:26380');
    expect(described).not.toContain("secret");
  });

  it("builds a cluster client from REDIS_CLUSTER_NODES, with the URL's credentials and TLS on every node", () => {
    const config = { url: "rediss://fixline-app:p%40ss@ignored-host:6379", sentinels: [], sentinelName: undefined, sentinelPassword: undefined, clusterNodes: [{ host: "10.0.0.1", port: 7000 }, { host: "10.0.0.2", port: 7001 }] };
    const cluster = createRedis(config, "producer", { lazyConnect: true });
    if (!(cluster instanceof Cluster)) throw new Error("expected a cluster client");
    try {
      expect(cluster.options.redisOptions).toMatchObject({ username: "fixline-app", password: "p@ss", tls: {}, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
      // ioredis routes redirections through the offline queue: off, a producer would fail for good.
      expect(cluster.options.enableOfflineQueue).toBe(true);
      const described = describeRedis(cluster);
      expect(described).toBe("Cluster 10.0.0.1:7000,10.0.0.2:7001");
      expect(described).not.toContain("p@ss");
      const worker = createRedis({ ...config, url: "redis://h:1" }, "worker", { lazyConnect: true });
      expect(worker).toBeInstanceOf(Cluster);
      expect((worker as Cluster).options.redisOptions).toMatchObject({ maxRetriesPerRequest: null });
      expect((worker as Cluster).options.redisOptions?.tls).toBeUndefined();
      worker.disconnect();
    } finally {
      cluster.disconnect();
    }
  });
});
