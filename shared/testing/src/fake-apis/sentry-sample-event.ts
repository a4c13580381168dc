/**
 * A latest-event payload shaped like Sentry's `GET /api/0/issues/{id}/events/latest/` for a Node
 * TypeError, trimmed to the fields Fixline reads plus a few it must ignore. Frames are oldest first,
 * the crashing frame last, as Sentry sends them.
 */
export function sentrySampleEvent(issueId: string): Record<string, unknown> {
  return {
    id: "9fac2ceed9344f2bbfdd1fdacb0ed9b1",
    eventID: "9fac2ceed9344f2bbfdd1fdacb0ed9b1",
    groupID: issueId,
    title: "TypeError: Cannot read properties of undefined (reading 'price')",
    message: "",
    platform: "node",
    dateCreated: "2025-05-12T09:14:03.000000Z",
    culprit: "computeTotal(src/cart/total)",
    tags: [
      { key: "environment", value: "production" },
      { key: "level", value: "error" },
      { key: "release", value: "shop@1.4.2" },
      { key: "runtime", value: "node v24.1.0" },
      { key: "url", value: "https://shop.example.com/cart" },
    ],
    release: { version: "shop@1.4.2", shortVersion: "1.4.2", dateCreated: "2025-05-10T12:00:00.000000Z" },
    contexts: { runtime: { name: "node", version: "v24.1.0", type: "runtime" } },
    entries: [
      {
        type: "exception",
        data: {
          values: [
            {
              type: "TypeError",
              value: "Cannot read properties of undefined (reading 'price')",
              module: null,
              mechanism: { type: "onunhandledrejection", handled: false },
              stacktrace: {
                frames: [
                  {
                    filename: "node:internal/process/task_queues",
                    absPath: "node:internal/process/task_queues",
                    function: "process.processTicksAndRejections",
                    lineNo: 95,
                    colNo: 5,
                    inApp: false,
                    context: [[95, "    await callback();"]],
                  },
                  {
                    filename: "src/routes/cart.ts",
                    absPath: "/app/src/routes/cart.ts",
                    function: "handleCart",
                    lineNo: 41,
                    colNo: 20,
                    inApp: true,
                    context: [
                      [40, "  const cart = await loadCart(req.session);"],
                      [41, "  const total = computeTotal(cart.items);"],
                      [42, "  res.json({ total });"],
                    ],
                  },
                  {
                    filename: "src/cart/total.ts",
                    absPath: "/app/src/cart/total.ts",
                    function: "computeTotal",
                    lineNo: 12,
                    colNo: 31,
                    inApp: true,
                    context: [
                      [11, "  return items.reduce((sum, item) => {"],
                      [12, "    return sum + item.product.price * item.quantity;"],
                      [13, "  }, 0);"],
                    ],
                  },
                ],
              },
            },
          ],
        },
      },
      { type: "breadcrumbs", data: { values: [{ category: "http", message: "GET /cart", level: "info" }] } },
    ],
  };
}

/** The issue that goes with the sample event. */
export function sentrySampleIssue(issueId: string): Record<string, unknown> {
  return {
    id: issueId,
    shortId: "SHOP-1A",
    title: "TypeError: Cannot read properties of undefined (reading 'price')",
    culprit: "computeTotal(src/cart/total)",
    permalink: `https://sentry.example.com/organizations/acme/issues/${issueId}/`,
    level: "error",
    status: "unresolved",
    count: "42",
    userCount: 17,
    firstSeen: "2025-05-11T08:00:00.000000Z",
    lastSeen: "2025-05-12T09:14:03.000000Z",
    platform: "node",
    project: { id: "2", name: "shop", slug: "shop" },
    metadata: { type: "TypeError", value: "Cannot read properties of undefined (reading 'price')", filename: "src/cart/total.ts", function: "computeTotal" },
  };
}
