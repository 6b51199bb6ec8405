// Broken scenarios: each file under tests/scenario/broken/ with the exact
// position and text of every problem the loader must report, in order.
// A new fixture without an entry here fails the test, and so does an entry
// whose file is gone.

#include <set>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "test_paths.hpp"
#include "wiresim/scenario/loader.hpp"

using namespace wiresim::scenario;
namespace fs = std::filesystem;

namespace {

struct Expected {
  int line;
  int column;
  std::string_view message;
};

struct BrokenCase {
  std::string_view file;
  std::vector<Expected> errors;
};

// clang-format off
const std::vector<BrokenCase> kCases = {
    {"alias_loop.yaml",
     {
         {2, 8, "YAML nested more than 32 levels deep, counting what aliases (*name) expand to (the most a scenario file may have)"},
     }},
    {"app_hosts.yaml",
     {
         {8, 35, "'r1' is a router, not a host (expected one of: client, server)"},
         {9, 35, "unknown host 'clint' (did you mean 'client'?)"},
         {10, 3, "missing key 'to' in app 'bulk' (expected a host name)"},
         {10, 3, "missing key 'bytes' in app 'bulk' (expected how much to send, such as 10MB)"},
     }},
    {"app_missing_site.yaml",
     {
         {5, 49, "site folder 'sites/nope' does not exist (expected a folder relative to the scenario file or to the scenarios/ folder)"},
         {6, 3, "missing key 'site' in app 'web2' (expected the folder of the site to serve)"},
     }},
    {"app_port_clash.yaml",
     {
         {7, 50, "port 80 of host 'server' is already used by app 'web' (expected a different port)"},
         {8, 55, "port 80 of host 'server' is already used by app 'web' (expected a different port)"},
         {9, 50, "invalid port '0': out of range (expected a whole number from 1 to 65535)"},
     }},
    {"app_types.yaml",
     {
         {5, 16, "unknown app type 'http' (expected one of: http_server, browser, curl, bulk, teardown)"},
         {6, 3, "missing key 'type' in app 'other' (expected one of: http_server, browser, curl, bulk, teardown)"},
         {7, 10, "invalid app: got a list (expected a map with type and the app's settings)"},
     }},
    {"bad_entry_names.yaml",
     {
         {3, 3, "invalid host name 'my.host' (expected up to 64 letters, digits, '_' and '-', starting with a letter)"},
         {4, 3, "invalid host name '1st' (expected up to 64 letters, digits, '_' and '-', starting with a letter)"},
     }},
    {"bad_merge_key.yaml",
     {
         {4, 17, "invalid merge key '<<': got the value '5' (expected a map or a list of maps)"},
     }},
    {"bad_settings.yaml",
     {
         {1, 7, "invalid scenario name 'my lab' (expected up to 64 letters, digits, '_' and '-', starting with a letter)"},
         {2, 7, "invalid seed '-1': negative values are not allowed (expected a whole number from 0 to 18446744073709551615)"},
         {3, 13, "invalid start_time '2023-02-29T14:30:00Z': day 29 does not exist in 2023-02 (expected an ISO 8601 time such as 2023-10-25T14:30:00Z or 2023-10-25T16:30:00.250+02:00)"},
         {4, 14, "invalid description: got a list (expected a text)"},
     }},
    {"bad_stop.yaml",
     {
         {2, 25, "the run would never stop (expected a time limit such as after: 60s)"},
         {2, 32, "unknown key 'afterr' in stop (did you mean 'after'?)"},
     }},
    {"browser_values.yaml",
     {
         {8, 10, "invalid url 'ftp://10.0.0.2/': not an http:// URL (expected a URL such as http://10.0.0.2:80/index.html)"},
         {9, 14, "unknown browser profile 'firefox' (expected one of: chrome, ie, http10, curl)"},
         {10, 22, "invalid max_connections '0': out of range (expected a whole number from 1 to 256)"},
         {11, 17, "invalid pipelining '65': out of range (expected a whole number from 0 to 64)"},
         {12, 17, "invalid page_loads '0': out of range (expected a whole number from 1 to 1000000)"},
         {13, 17, "invalid think_time 'soon': not a number (expected a duration such as 20ms, 500us or 1.5s)"},
         {14, 5, "unknown key 'keep_alive' in app 'browser' (expected one of: type, host, url, profile, max_connections, pipelining, page_loads, think_time, start, backgrounds_wait_for_images, user_agent, preconnect_delay, request_delay, connect_delay, renderer_delay, favicon_delay, close_after, close_on_server_fin, protocol, read_delay)"},
         {15, 49, "invalid url 'http://10.0.0.2:99999/': invalid port '99999' (expected 1 to 65535) (expected a URL such as http://10.0.0.2:80/index.html)"},
         {16, 49, "invalid url 'http:///index.html': no host (expected a URL such as http://10.0.0.2:80/index.html)"},
         {17, 79, "unknown protocol 'h3' (did you mean 'h1'?)"},
     }},
    {"curl_values.yaml",
     {
         {5, 42, "app 'curl' has both url and urls (expected one of the two)"},
         {6, 44, "invalid urls (expected a list of one or more http:// URLs)"},
         {7, 45, "invalid urls 'ftp://x/': not an http:// URL (expected a URL such as http://10.0.0.2:80/index.html)"},
         {7, 68, "invalid parallel 'maybe': not a boolean (expected true or false)"},
         {8, 76, "invalid close_after: got a list of 1 items (expected a duration such as 200us, or a range [min, max] such as [4s, 6s])"},
         {8, 82, "unknown key 'profile' in app 'curl4' (expected one of: type, host, url, urls, parallel, page_loads, think_time, start, user_agent, request_delay, connect_delay, close_after, read_delay)"},
         {9, 84, "invalid renderer_delay: 18ms is above 12ms (expected a duration such as 200us, or a range [min, max] such as [4s, 6s])"},
     }},
    {"bulk_values.yaml",
     {
         {5, 41, "app 'loop' sends from host 'client' to itself (expected two different hosts)"},
         {5, 56, "invalid bytes '64KB': ambiguous unit 'KB' (expected kB for 1000 bytes or KiB for 1024 bytes)"},
         {6, 41, "app 'none' sends from host 'client' to itself (expected two different hosts)"},
         {6, 68, "invalid bytes '0': out of range (expected a size from 1 to 1125899906842624 bytes)"},
         {7, 3, "missing key 'bytes' in app 'short' (expected how much to send, such as 10MB)"},
         {7, 42, "app 'short' sends from host 'client' to itself (expected two different hosts)"},
     }},
    {"capture_errors.yaml",
     {
         {8, 31, "capture 'both' gives both node and link (expected just one)"},
         {9, 3, "missing key 'node' or 'link' in capture 'neither' (expected the node or link to capture)"},
         {10, 17, "unknown link 'lna' (did you mean 'lan'?)"},
         {11, 49, "invalid file 'server.pcapng': does not end in .pcap (expected a file name such as mismatch.pcap)"},
         {12, 33, "invalid file 'out/server.pcapng': not a plain file name (expected a file name such as nested.pcapng)"},
         {14, 33, "capture file 'same.pcap' is already written by capture 'first' (expected a different file name)"},
         {15, 32, "unknown capture format 'erf' (expected one of: pcap, pcapng)"},
         {16, 27, "unknown key 'colour' in capture 'colour' (expected one of: node, link, format, file)"},
     }},
    {"duplicate_host_address.yaml",
     {
         {4, 22, "address 10.0.0.1 is already used by host 'client' (expected a different address for each interface)"},
     }},
    {"duplicate_keys.yaml",
     {
         {3, 35, "duplicate key 'address' in host 'client' (already given at 3:13)"},
         {11, 5, "duplicate key 'delay' in link 'lan' (already given at 10:5)"},
     }},
    {"duplicate_names.yaml",
     {
         {5, 3, "duplicate node name 'client' (already a host at 3:3)"},
         {7, 3, "duplicate node name 'server' (already a host at 4:3)"},
     }},
    {"empty.yaml",
     {
         {1, 1, "the scenario is empty (expected a map with name, hosts, links, ...)"},
     }},
    {"host_address_unused.yaml",
     {
         {4, 22, "address 10.0.9.9/24 of host 'server' is on none of its links (expected it on a link end of 'server', such as an end that gives no address)"},
     }},
    {"host_address_unused.yaml",
     {
         {4, 22, "address 10.0.9.9/24 of host 'server' is on none of its links (expected it on a link end of 'server', such as an end that gives no address)"},
     }},
    {"host_addresses.yaml",
     {
         {3, 17, "invalid address '10.0.0.300/24': not an IPv4 address (expected an IPv4 address with prefix length such as 10.0.1.2/24)"},
         {4, 17, "invalid address '10.0.0.0/24': the network address of 10.0.0.0/24 (expected an IPv4 address with prefix length such as 10.0.1.2/24)"},
         {5, 17, "invalid address '10.0.0.255/24': the broadcast address of 10.0.0.0/24 (expected an IPv4 address with prefix length such as 10.0.1.2/24)"},
         {6, 17, "invalid address '10.0.0.4': missing prefix length (expected an IPv4 address with prefix length such as 10.0.1.2/24)"},
         {7, 17, "invalid address '10.0.0.5/33': prefix length is not a number from 0 to 32 (expected an IPv4 address with prefix length such as 10.0.1.2/24)"},
         {8, 3, "missing key 'address' in host 'f' (expected an IPv4 address with prefix length such as 10.0.1.2/24)"},
     }},
    {"host_on_two_links.yaml",
     {
         {9, 13, "address 10.0.1.2 is already used by host 'client' on link 'one' (expected a different address for each interface)"},
     }},
    {"link_bad_units.yaml",
     {
         {9, 16, "invalid bandwidth '10Mbs': unknown unit 'Mbs' (expected one of the units bps, kbps, Kbps, Mbps, Gbps, Tbps)"},
         {10, 12, "invalid delay '20': missing unit (expected a duration such as 20ms, 500us or 1.5s)"},
         {11, 13, "invalid jitter '1.5ns': not a whole number of nanoseconds (expected a duration such as 20ms, 500us or 1.5s)"},
         {12, 10, "invalid mtu '64KB': ambiguous unit 'KB' (expected kB for 1000 bytes or KiB for 1024 bytes)"},
         {13, 23, "invalid packets 'many': not a number (expected a whole number from 0 to 1000000)"},
         {13, 36, "invalid bytes '1.3B': not a whole number of bytes (expected a size from 0 to 1099511627776 bytes)"},
     }},
    {"link_drop_rules.yaml",
     {
         {12, 18, "unknown packet match 'data' (expected one of: any, tcp_data, syn, synack, fin, rst, pure_ack)"},
         {12, 29, "invalid nth '0': out of range (expected a whole number from 1 to 1099511627776)"},
         {13, 28, "invalid nth: 5 is above 2 (expected a packet number such as 2, or a range [2, 5])"},
         {14, 9, "missing key 'nth' in drop rule 3 in link 'lan' (expected which matching packets to drop, such as 2 or [2, 5])"},
         {15, 29, "invalid dst_port '70000': out of range (expected a whole number from 1 to 65535)"},
         {15, 36, "unknown key 'port' in drop rule 4 in link 'lan' (expected one of: match, nth, src_port, dst_port, connection, seq)"},
         {16, 41, "both nth and seq in drop rule 5 in link 'lan' (expected one of them: nth counts matching packets, seq names one by its relative sequence number)"},
         {17, 40, "invalid connection '0': out of range (expected a whole number from 1 to 1000000)"},
         {18, 21, "invalid drop: got a map (expected a list of drop rules such as [{ match: syn, nth: 1 }])"},
     }},
    {"link_loss_models.yaml",
     {
         {11, 30, "unknown loss model 'gilbert' (expected one of: bernoulli, gilbert_elliott)"},
         {12, 48, "unknown key 'r' in the loss model in b_to_a of link 'lan' (expected one of: model, p)"},
         {18, 11, "missing key 'p' in the loss model in link 'wan' (expected a probability from 0 to 1, such as 0.02 or 2%)"},
     }},
    {"link_loss_range.yaml",
     {
         {11, 11, "invalid loss '150%': more than 100% (expected a probability from 0 to 1, such as 0.02 or 2%)"},
         {12, 21, "invalid loss '1.5': more than 1 (expected a probability from 0 to 1, such as 0.02 or 2%)"},
     }},
    {"link_missing_keys.yaml",
     {
         {6, 3, "missing key 'bandwidth' in link 'lan' (expected a data rate such as 10Mbps, 1Gbps or 100kbps)"},
         {6, 3, "missing key 'delay' in b_to_a of link 'lan' (expected a duration such as 20ms, 500us or 1.5s)"},
         {10, 3, "missing key 'b' in link 'wan' (expected a node name, or { node: NAME, address: A.B.C.D/LEN })"},
         {11, 8, "missing key 'node' in end a of link 'wan' (expected a node name)"},
     }},
    {"link_self_loop.yaml",
     {
         {5, 25, "link 'loop' joins node 'client' to itself (expected two different nodes)"},
     }},
    {"link_subnets.yaml",
     {
         {8, 48, "address 10.0.2.1/24 of end b is not in the subnet of end a, 10.0.1.2/24 (expected both ends of link 'access' in one subnet)"},
         {9, 35, "address 10.0.2.1 is already used by router 'r1' on link 'access' (expected a different address for each interface)"},
         {9, 53, "address 10.0.2.2/24 of end b is not in the subnet of end a, 10.0.2.1/16 (expected both ends of link 'core' in one subnet)"},
     }},
    {"link_unknown_keys.yaml",
     {
         {9, 5, "unknown key 'bandwith' in link 'lan' (did you mean 'bandwidth'?)"},
         {11, 5, "unknown key 'dealy' in link 'lan' (did you mean 'delay'?)"},
         {13, 15, "unknown key 'latency' in a_to_b of link 'lan' (expected one of: bandwidth, delay, jitter, queue, mtu, loss, drop, duplicate, corrupt, reorder)"},
         {14, 5, "unknown key 'b_to_c' in link 'lan' (did you mean 'b_to_a'?)"},
     }},
    {"link_unknown_node.yaml",
     {
         {6, 24, "unknown node 'sever' (did you mean 'server'?)"},
         {7, 21, "unknown node 'nowhere' (expected one of: client, server)"},
     }},
    {"missing_name.yaml",
     {
         {1, 1, "missing key 'name' at the top level (expected a scenario name such as lab-http)"},
     }},
    {"queue_disciplines.yaml",
     {
         {3, 47, "unknown ECN mode 'maybe' (expected one of: off, passive, on)"},
         {11, 36, "unknown queue discipline 'pie' (expected one of: drop_tail, red, codel, fq_codel)"},
         {12, 43, "unknown key 'bytes' in the queue in b_to_a of link 'lan' (expected one of: discipline, packets, ecn, target, interval)"},
         {12, 64, "invalid target '0ms': out of range (expected a duration from 1ns to 3600s)"},
         {18, 22, "missing key 'min' in the red queue in a_to_b of link 'lan2' (expected the min threshold of the average queue, such as 30kB)"},
         {18, 60, "red weight must be above 0 (expected a probability from 0 to 1, such as 0.02 or 2%)"},
         {19, 57, "red max threshold 10000 bytes is not above min 20000 bytes (expected min < max)"},
         {19, 63, "unknown key 'flows' in the queue in b_to_a of link 'lan2' (expected one of: discipline, packets, bytes, ecn, min, max, max_p, weight, avpkt, gentle)"},
     }},
    {"router_addresses.yaml",
     {
         {6, 9, "unknown key 'forwarding' in router 'r1' (expected no keys here)"},
         {8, 27, "router 'r1' needs an address on end b of link 'access' (expected { node: r1, address: A.B.C.D/LEN })"},
         {9, 35, "address 10.0.2.2 is already used by host 'server' (expected a different address for each interface)"},
     }},
    {"stop_zero.yaml",
     {
         {2, 16, "invalid after '0s': out of range (expected a duration of at least 1ns)"},
         {2, 36, "invalid when_apps_done 'maybe': not a boolean (expected true or false)"},
     }},
    {"tcp_profiles.yaml",
     {
         {3, 46, "unknown TCP profile 'linx' (did you mean 'linux'?)"},
         {4, 46, "unknown TCP profile 'macos' (expected one of: linux, linux-6.1, windows)"},
         {5, 35, "invalid tcp: got the value 'linux' (expected a map with profile and TCP settings)"},
     }},
    {"tcp_ranges.yaml",
     {
         {6, 12, "invalid mss '10': out of range (expected a size from 64 to 65495 bytes)"},
         {7, 16, "invalid rcv_buf '0': out of range (expected a size from 1 to 1073741824 bytes)"},
         {8, 21, "invalid window_scale '15': out of range (expected a shift count from 0 to 14, or false)"},
         {9, 20, "invalid delayed_ack '600ms': out of range (expected a duration from 0s to 500ms)"},
         {10, 24, "invalid ephemeral_ports: 60000 is above 50000 (expected a port range such as [49152, 65535])"},
         {11, 27, "unknown congestion control 'reno' (expected one of: newreno, cubic)"},
         {12, 20, "invalid syn_retries '21': out of range (expected a whole number from 0 to 20)"},
         {13, 13, "invalid sack 'yes': not a boolean (expected true or false)"},
     }},
    {"tcp_unknown_keys.yaml",
     {
         {5, 28, "unknown key 'nagel' in the tcp settings of host 'server' (did you mean 'nagle'?)"},
         {5, 41, "unknown key 'initial_window' in the tcp settings of host 'server' (expected one of: profile, mss, rcv_buf, snd_buf, window_scale, sack, timestamps, initial_cwnd, delayed_ack, min_rto, msl, congestion_control, nagle, syn_retries, ephemeral_ports, delayed_fin_ack, recovery, frto, undo, dsack, hystart, ecn)"},
         {5, 61, "unknown key 'bufsize' in the tcp settings of host 'server' (expected one of: profile, mss, rcv_buf, snd_buf, window_scale, sack, timestamps, initial_cwnd, delayed_ack, min_rto, msl, congestion_control, nagle, syn_retries, ephemeral_ports, delayed_fin_ack, recovery, frto, undo, dsack, hystart, ecn)"},
     }},
    {"teardown_values.yaml",
     {
         {5, 51, "app 'loop' connects host 'client' to itself (expected two different hosts)"},
         {6, 79, "unknown close order 'server_frist' (did you mean 'server_first'?)"},
         {7, 3, "missing key 'close' in app 'missing' (expected client_first, server_first, simultaneous or merged_fin)"},
         {8, 112, "second_close_after does not apply to close: merged_fin (expected it only with close: client_first or server_first)"},
         {9, 106, "invalid close_after '0': out of range (expected a duration of at least 1ns)"},
         {9, 116, "invalid bytes '1MB': out of range (expected a size from 0 to 65536 bytes)"},
         {10, 92, "unknown key 'clse_after' in app 'typo' (did you mean 'close_after'?)"},
     }},
    {"three_errors.yaml",
     {
         {7, 69, "invalid loss '150%': more than 100% (expected a probability from 0 to 1, such as 0.02 or 2%)"},
         {9, 35, "unknown host 'servr' (did you mean 'server'?)"},
         {11, 44, "invalid file 'wire.pcap': does not end in .pcapng (expected a file name such as wire.pcapng)"},
     }},
    {"top_level_keys.yaml",
     {
         {2, 1, "unknown key 'sed' at the top level (did you mean 'seed'?)"},
         {3, 1, "unknown key 'host' at the top level (did you mean 'hosts'?)"},
         {5, 1, "unknown key 'colour' at the top level (expected one of: name, description, seed, start_time, stop, hosts, routers, links, apps, captures, traces)"},
     }},
    {"top_level_list.yaml",
     {
         {1, 1, "the scenario is a list (expected a map with name, hosts, links, ...)"},
     }},
    {"traces_values.yaml",
     {
         {2, 23, "invalid tcp_states 'yes': not a boolean (expected true or false)"},
         {2, 34, "invalid cwnd '1': not a boolean (expected true or false)"},
         {2, 37, "unknown key 'rtt' in traces (expected one of: tcp_states, cwnd)"},
     }},
    {"wrong_collection_types.yaml",
     {
         {2, 8, "invalid hosts: got a list (expected a map from host names to hosts)"},
         {3, 10, "invalid routers: got the value 'r1' (expected a map from router names to routers)"},
         {5, 8, "invalid link: got the value 'fast' (expected a map with a, b, bandwidth, delay, ...)"},
         {6, 9, "invalid traces: got the value 'on' (expected a map such as { tcp_states: true })"},
     }},
    {"yaml_bad_indent.yaml",
     {
         {5, 4, "invalid YAML: end of map not found"},
     }},
    {"yaml_unclosed_flow.yaml",
     {
         {4, 9, "invalid YAML: end of map flow not found"},
     }},
};
// clang-format on

fs::path broken_dir() { return wiresim::scenario::test::fixtures_dir() / "broken"; }

}  // namespace

TEST_CASE("every broken fixture has expectations, and every expectation a fixture", "[scenario][broken]") {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(broken_dir())) {
    if (entry.path().extension() == ".yaml") files.insert(entry.path().filename().string());
  }
  std::set<std::string> expected;
  for (const BrokenCase& c : kCases) expected.insert(std::string(c.file));
  CHECK(files == expected);
  CHECK(kCases.size() >= 30);
}

TEST_CASE("broken scenarios report exactly the expected problems", "[scenario][broken]") {
  for (const BrokenCase& c : kCases) {
    const fs::path file = broken_dir() / c.file;
    INFO(file.string());
    const LoadResult r = load_scenario_file(file);
    CHECK_FALSE(r.ok());
    for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO("got: " << to_string(d));
    REQUIRE(r.diagnostics.size() == c.errors.size());
    for (std::size_t i = 0; i < c.errors.size(); ++i) {
      const Diagnostic& d = r.diagnostics[i];
      CHECK(d.where.origin == file.string());
      CHECK(d.where.line == c.errors[i].line);
      CHECK(d.where.column == c.errors[i].column);
      CHECK(d.message == c.errors[i].message);
    }
  }
}
