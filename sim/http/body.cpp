#include "wiresim/http/body.hpp"

namespace wiresim::http {

Body::Body(std::string bytes) {
  if (!bytes.empty()) bytes_ = std::make_shared<const std::string>(std::move(bytes));
}

}  // namespace wiresim::http
