import { parser } from "@prometheus-io/lezer-promql";

/** One `metric{label="..."}` selector in a query. */
export interface SelectorReference {
  metric: string | undefined;
  matchedLabels: string[];
}

/** A `by (...)`, `without (...)`, `on (...)` or `ignoring (...)` list and the metrics it groups over. */
export interface GroupingReference {
  labels: string[];
  metrics: string[];
}

export interface PromqlReferences {
  selectors: SelectorReference[];
  groupings: GroupingReference[];
  /** Text around each syntax error the grammar found; empty for a valid query. */
  syntaxErrors: string[];
}

// Grafana's built-in range variables are not PromQL; any duration stands in for parsing.
const grafanaRangeVariables = /\$__(rate_interval|interval|range)\b/g;

type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

function childrenNamed(node: SyntaxNode, name: string): SyntaxNode[] {
  return childrenOf(node).filter((child) => child.name === name);
}

function descendantsNamed(node: SyntaxNode, name: string): SyntaxNode[] {
  return childrenOf(node).flatMap((child) => [...(child.name === name ? [child] : []), ...descendantsNamed(child, name)]);
}

/**
 * Parses a PromQL expression with Prometheus's own grammar (the one its web UI uses) and lists the
 * metric names and label names it refers to, so dashboards and alerts can be checked against the
 * metric definitions instead of failing silently in Grafana.
 */
export function promqlReferences(expression: string): PromqlReferences {
  const text = expression.replace(grafanaRangeVariables, "5m");
  const tree = parser.parse(text);
  const read = (node: SyntaxNode) => text.slice(node.from, node.to);
  const result: PromqlReferences = { selectors: [], groupings: [], syntaxErrors: [] };
  const metricsUnder = (node: SyntaxNode) =>
    descendantsNamed(node, "VectorSelector").flatMap((selector) => childrenNamed(selector, "Identifier").map(read));

  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (ref.type.isError) {
        result.syntaxErrors.push(`at ${ref.from}: …${text.slice(Math.max(0, ref.from - 20), ref.from + 20)}…`);
      } else if (ref.name === "VectorSelector") {
        const metric = childrenNamed(node, "Identifier")[0];
        const matchedLabels = descendantsNamed(node, "LabelName").map(read);
        result.selectors.push({ metric: metric ? read(metric) : undefined, matchedLabels });
      } else if (ref.name === "GroupingLabels") {
        // GroupingLabels sits in an AggregateModifier (sum by ...) or a binary OnOrIgnoring modifier;
        // the expression two levels up is what it groups.
        const scope = node.parent?.parent ?? node;
        result.groupings.push({ labels: childrenNamed(node, "LabelName").map(read), metrics: metricsUnder(scope) });
      }
    },
  });
  if (text.trim() === "") result.syntaxErrors.push("empty expression");
  return result;
}
