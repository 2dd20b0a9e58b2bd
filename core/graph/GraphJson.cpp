#include "core/graph/GraphJson.h"

#include <cmath>

namespace ffn {
namespace {

// JSON has no NaN or infinity (they would be written as null and the file would not load again).
double finiteOrZero(double value) { return std::isfinite(value) ? value : 0.0; }

std::string jsonType(const Json& value) { return value.type_name(); }

// Optional string field: absent gives `fallback`, anything but a string is an error.
Result<std::string> optionalString(const Json& object, const char* key, const std::string& where,
                                   std::string fallback = {}) {
  if (!object.contains(key)) return fallback;
  const Json& value = object.at(key);
  if (!value.is_string()) return fail(where, ": '", key, "' must be a string, not ", jsonType(value));
  return value.get<std::string>();
}

Result<Node> nodeFromJson(const Json& json, std::size_t index, const NodeKindRegistry& kinds) {
  std::string where = "node " + std::to_string(index + 1);
  if (!json.is_object()) return fail(where, " must be a JSON object, not ", jsonType(json));
  if (!json.contains("id") || !json.at("id").is_string() || json.at("id").get<std::string>().empty())
    return fail(where, " has no id (a non-empty string)");
  Node node;
  node.id = json.at("id").get<std::string>();
  where = "node '" + node.id + "'";

  auto kind = optionalString(json, "kind", where);
  if (!kind) return kind.error();
  if (kind->empty()) return fail(where, " has no kind");
  if (!kinds.find(*kind))
    return fail(where, " is of kind '", *kind, "', which this build of FFN Lab does not know (the file may come from a "
                "newer FFN Lab)");
  node.kind = *kind;

  auto label = optionalString(json, "label", where, node.id);
  if (!label) return label.error();
  node.label = label->empty() ? node.id : *label;

  if (json.contains("params")) {
    // Values are kept as written; checking them against the kind's settings is the validator's job.
    const Json& params = json.at("params");
    if (!params.is_object()) return fail(where, ": 'params' must be a JSON object, not ", jsonType(params));
    node.params = params;
  }
  if (json.contains("position")) {
    const Json& position = json.at("position");
    if (!position.is_array() || position.size() != 2 || !position[0].is_number() || !position[1].is_number())
      return fail(where, ": 'position' must be two numbers [x, y], got ", position.dump());
    node.position = Point{position[0].get<double>(), position[1].get<double>()};
  }
  for (const auto& [key, value] : json.items())
    if (key != "id" && key != "kind" && key != "label" && key != "params" && key != "position")
      return fail(where, " has an unknown field '", key, "'");
  return node;
}

Result<Edge> edgeFromJson(const Json& json, std::size_t index) {
  const std::string where = "edge " + std::to_string(index + 1);
  if (!json.is_object()) return fail(where, " must be a JSON object, not ", jsonType(json));
  Edge edge;
  for (const char* key : {"from", "to"}) {
    if (!json.contains(key) || !json.at(key).is_string())
      return fail(where, " needs '", key, "': the id of a node (a string)");
  }
  edge.from = json.at("from").get<std::string>();
  edge.to = json.at("to").get<std::string>();
  if (json.contains("port")) {
    const Json& port = json.at("port");
    if (!port.is_number_integer() || port.get<std::int64_t>() < 0 || port.get<std::int64_t>() > 1'000'000)
      return fail(where, " (", edge.from, " -> ", edge.to, "): 'port' must be a small whole number, got ", port.dump());
    edge.toPort = static_cast<int>(port.get<std::int64_t>());
  }
  for (const auto& [key, value] : json.items())
    if (key != "from" && key != "to" && key != "port") return fail(where, " has an unknown field '", key, "'");
  return edge;
}

Result<Graph> readGraph(const Json& json, const NodeKindRegistry& kinds);

}  // namespace

Json graphToJson(const Graph& graph) {
  Json nodes = Json::array();
  for (const Node& node : graph.nodes())
    nodes.push_back(Json{{"id", node.id},
                         {"kind", node.kind},
                         {"label", node.label},
                         {"params", node.params.is_object() ? node.params : Json::object()},
                         {"position", {finiteOrZero(node.position.x), finiteOrZero(node.position.y)}}});
  Json edges = Json::array();
  for (const Edge& edge : graph.edges()) edges.push_back(Json{{"from", edge.from}, {"to", edge.to}, {"port", edge.toPort}});
  return Json{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}

Result<Graph> graphFromJson(const Json& json, const NodeKindRegistry& kinds) {
  // Every access above is type-checked first; this only keeps a missed case from escaping as an exception.
  try {
    return readGraph(json, kinds);
  } catch (const Json::exception& e) {
    return fail("the graph cannot be read: ", e.what());
  }
}

namespace {

Result<Graph> readGraph(const Json& json, const NodeKindRegistry& kinds) {
  if (!json.is_object()) return fail("the graph must be a JSON object, not ", jsonType(json));
  for (const auto& [key, value] : json.items())
    if (key != "nodes" && key != "edges") return fail("the graph has an unknown field '", key, "'");
  const Json empty = Json::array();
  const Json& nodes = json.contains("nodes") ? json.at("nodes") : empty;
  const Json& edges = json.contains("edges") ? json.at("edges") : empty;
  if (!nodes.is_array()) return fail("the graph's 'nodes' must be a list, not ", jsonType(nodes));
  if (!edges.is_array()) return fail("the graph's 'edges' must be a list, not ", jsonType(edges));

  Graph graph;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto node = nodeFromJson(nodes[i], i, kinds);
    if (!node) return node.error();
    if (graph.contains(node->id)) return fail("two nodes have the id '", node->id, "'");
    FFN_TRY(graph.addNode(std::move(*node)));
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    auto edge = edgeFromJson(edges[i], i);
    if (!edge) return edge.error();
    const std::string where =
        "edge " + std::to_string(i + 1) + " (" + edge->from + " -> " + edge->to + " port " + std::to_string(edge->toPort) + ")";
    // Graph::connect checks missing nodes, self-loops, a port fed twice and cycles; the port count is the kind's.
    if (const Node* to = graph.node(edge->to)) {
      const int ports = kinds.find(to->kind)->inputPorts;
      if (edge->toPort >= ports)
        return fail(where, ": ", to->kind, " '", to->label, "' has ", std::to_string(ports), " input port",
                    ports == 1 ? "" : "s");
    }
    if (Status connected = graph.connect(*edge); !connected) return fail(where, ": ", connected.message());
  }
  return graph;
}

}  // namespace
}  // namespace ffn
