#include <catch2/catch.hpp>

#include "wiresim/core/data_rate.hpp"
#include "wiresim/core/time.hpp"

using namespace wiresim;
using namespace wiresim::literals;

TEST_CASE("durations are integer nanoseconds", "[core][time]") {
  CHECK((20_ms).ns() == 20'000'000);
  CHECK((500_us).ns() == 500'000);
  CHECK((2_s + 1_ns).ns() == 2'000'000'001);
  CHECK(Duration::seconds(3) / 2 == 1500_ms);
  CHECK((Time::zero() + 5_ms) - Time::from_ns(1'000'000) == 4_ms);
  CHECK(Time::from_ns(5) < Time::from_ns(6));
}

TEST_CASE("durations print in the largest exact unit", "[core][time]") {
  CHECK(to_string(20_ms) == "20ms");
  CHECK(to_string(1500_ms) == "1.5s");
  CHECK(to_string(250_us) == "250us");
  CHECK(to_string(17_ns) == "17ns");
  CHECK(to_string(1_s) == "1s");
  CHECK(to_string(Duration::zero()) == "0s");
  CHECK(to_string(-3_ms) == "-3ms");
  CHECK(to_string(Time::from_ns(1'020'000'000)) == "1.020000000");
}

TEST_CASE("data rates give exact serialisation times", "[core][rate]") {
  // 1514-byte frame at 10 Mbit/s: 12112 bits / 1e7 = 1.2112 ms exactly.
  CHECK(DataRate::mbps(10).transmission_time(1514) == Duration::nanoseconds(1'211'200));
  // 1 byte at 3 bit/s: 8/3 s, rounded up to the next nanosecond.
  CHECK(DataRate::bps(3).transmission_time(1) == Duration::nanoseconds(2'666'666'667));
  // 10 Gbit/s does not overflow: 1 GB takes 0.8 s.
  CHECK(DataRate::gbps(10).transmission_time(1'000'000'000) == 800_ms);
  CHECK(DataRate::infinite().transmission_time(1500) == Duration::zero());
  // Past the 64-bit fast path (2^30 bytes, 2^50 bit/s) the 128-bit one
  // rounds the same way: 2^33 bits at 3 bit/s, 2^33 * 1e9 / 3 rounded up.
  CHECK(DataRate::bps(3).transmission_time(std::int64_t{1} << 30) ==
        Duration::nanoseconds(2'863'311'530'666'666'667));
  CHECK(DataRate::bps(3).transmission_time((std::int64_t{1} << 30) - 1) ==
        Duration::nanoseconds(2'863'311'528'000'000'000));
  CHECK(DataRate::bps(std::int64_t{1} << 50).transmission_time(1500) == Duration::nanoseconds(1));
  CHECK(DataRate::bps((std::int64_t{1} << 50) - 1).transmission_time(1500) == Duration::nanoseconds(1));
  CHECK(to_string(DataRate::mbps(10)) == "10Mbps");
  CHECK(to_string(DataRate::kbps(1500)) == "1.5Mbps");
  CHECK(to_string(DataRate::bps(999)) == "999bps");
}
