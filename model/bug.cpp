// include/asm-generic/bug.h: WARN_ON. The kernel logs and goes on; the
// model records the first warning for the no_warning invariant.
#include "model/paths.hpp"

namespace fsmc::model {

void warn_on(Ctx& c, const std::string& what) {
  if (c.ip.warning.empty())
    c.ip.warning = what + " (" + (*c.ip.thread_names)[c.t.id()] + " at step " +
                   std::to_string(c.t.executor().step_count()) + ")";
  c.t.detail([&] { return "WARN_ON: " + what; });
}

}  // namespace fsmc::model
