#include "wiresim/wire/seq_num.hpp"

#include <ostream>

namespace wiresim::wire {

std::ostream& operator<<(std::ostream& os, SeqNum s) { return os << s.raw(); }

}  // namespace wiresim::wire
