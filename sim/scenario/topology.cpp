#include "wiresim/scenario/topology.hpp"

#include <map>
#include <optional>
#include <set>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <fmt/format.h>

namespace wiresim::scenario {
namespace {

/// Edge property: the index of the link in Scenario::links.
struct EdgeLink {
  std::size_t link = 0;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, EdgeLink>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

struct Topology {
  Graph graph;
  std::vector<std::string> names;
  std::map<std::string, Vertex> index;
};

Topology build(const Scenario& s) {
  Topology t;
  for (const HostSpec& h : s.hosts) t.names.push_back(h.name);
  for (const RouterSpec& r : s.routers) t.names.push_back(r.name);
  t.graph = Graph(t.names.size());
  for (std::size_t i = 0; i < t.names.size(); ++i) t.index.emplace(t.names[i], i);
  for (std::size_t l = 0; l < s.links.size(); ++l) {
    boost::add_edge(t.index.at(s.links[l].a.node), t.index.at(s.links[l].b.node), EdgeLink{l}, t.graph);
  }
  return t;
}

/// Records, for every vertex reached, the tree edge it was discovered by.
class ParentRecorder : public boost::default_bfs_visitor {
 public:
  explicit ParentRecorder(std::vector<std::optional<Edge>>& parent) : parent_(&parent) {}
  void tree_edge(const Edge& e, const Graph& g) const { (*parent_)[boost::target(e, g)] = e; }

 private:
  std::vector<std::optional<Edge>>* parent_;
};

/// For each vertex, the link by which `source` first leaves toward it
/// (nullopt for the source itself and unreachable vertices).
std::vector<std::optional<std::size_t>> first_hops(const Topology& t, Vertex source) {
  const std::size_t n = boost::num_vertices(t.graph);
  std::vector<std::optional<Edge>> parent(n);
  boost::breadth_first_search(t.graph, source, boost::visitor(ParentRecorder(parent)));
  std::vector<std::optional<std::size_t>> hop(n);
  for (Vertex v = 0; v < n; ++v) {
    Vertex w = v;
    std::optional<std::size_t> link;
    while (w != source && parent[w]) {
      link = t.graph[*parent[w]].link;
      w = boost::source(*parent[w], t.graph) == w ? boost::target(*parent[w], t.graph)
                                                   : boost::source(*parent[w], t.graph);
    }
    if (w == source && v != source) hop[v] = link;
  }
  return hop;
}

/// Each link end's subnet and the node it is on.
struct Subnet {
  std::uint32_t network;
  int prefix_len;
  Vertex at;
};

std::vector<Subnet> subnets(const Scenario& s, const Topology& t) {
  std::vector<Subnet> out;
  for (const LinkSpec& l : s.links) {
    for (const LinkEnd* e : {&l.a, &l.b}) out.push_back({e->address.network(), e->address.prefix_len, t.index.at(e->node)});
  }
  return out;
}

std::vector<PlannedRoute> routes_of(const Topology& t, Vertex v, const std::vector<Subnet>& nets) {
  if (boost::out_degree(v, t.graph) == 1) {
    const auto [first, last] = boost::out_edges(v, t.graph);
    return {PlannedRoute{0, 0, t.graph[*first].link}};
  }
  const auto hop = first_hops(t, v);
  // The subnets this node is attached to: already connected routes. Found
  // once per node (not once per subnet: a router of 10,000 links took
  // minutes).
  std::set<std::pair<std::uint32_t, int>> attached;
  for (const Subnet& n : nets) {
    if (n.at == v) attached.emplace(n.network, n.prefix_len);
  }
  std::vector<PlannedRoute> out;
  std::map<std::pair<std::uint32_t, int>, bool> seen;
  for (const Subnet& n : nets) {
    if (n.at == v || !hop[n.at]) continue;  // directly connected, or unreachable
    if (!seen.emplace(std::pair{n.network, n.prefix_len}, true).second) continue;
    if (attached.count({n.network, n.prefix_len}) == 0) out.push_back(PlannedRoute{n.network, n.prefix_len, *hop[n.at]});
  }
  return out;
}

}  // namespace

RoutePlan plan_routes(const Scenario& s) {
  const Topology t = build(s);
  const std::vector<Subnet> nets = subnets(s, t);
  RoutePlan plan;
  plan.nodes = t.names;
  for (Vertex v = 0; v < boost::num_vertices(t.graph); ++v) plan.routes.push_back(routes_of(t, v, nets));
  return plan;
}

std::vector<UnreachableApp> unreachable_app_pairs(const Scenario& s) {
  const Topology t = build(s);
  std::vector<int> component(boost::num_vertices(t.graph));
  boost::connected_components(t.graph, component.data());
  // The node that owns an address (for a browser's URL host).
  std::map<std::uint32_t, std::string> owner;
  for (const LinkSpec& l : s.links) {
    for (const LinkEnd* e : {&l.a, &l.b}) owner.emplace(e->address.address, e->node);
  }
  std::vector<UnreachableApp> errors;
  auto check = [&](const std::string& app, const std::string& from, const std::string& to) {
    if (component[t.index.at(from)] != component[t.index.at(to)]) {
      errors.push_back({app, fmt::format("no path from '{}' to '{}' (no chain of links joins them)", from, to)});
    }
  };
  for (const AppSpec& a : s.apps) {
    if (const auto* bulk = std::get_if<BulkApp>(&a.config)) check(a.name, bulk->from, bulk->to);
    if (const auto* td = std::get_if<TeardownApp>(&a.config)) check(a.name, td->client, td->server);
    if (const auto* b = std::get_if<BrowserApp>(&a.config)) {
      // "http://A.B.C.D[:port]/..." : the host part, if it is an address of ours.
      const std::string rest = b->url.substr(b->url.find("//") + 2);
      const std::string host = rest.substr(0, rest.find_first_of(":/"));
      const ParseResult<std::uint32_t> ip = parse_ipv4(host);
      if (ip && owner.contains(*ip.value)) check(a.name, b->host, owner.at(*ip.value));
    }
  }
  return errors;
}

}  // namespace wiresim::scenario
