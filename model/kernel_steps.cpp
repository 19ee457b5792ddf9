#include "model/kernel_steps.hpp"

#include <algorithm>

namespace fsmc::model {

// Ids docs/kernel-steps.md lists only for comments (folded into a
// neighbouring step, like B6 into B2) are not here: no step carries them.
const std::vector<std::string>& kernel_steps() {
  static const std::vector<std::string> ids = {
      "W1",  "W5",                                                  // write(2)
      "B2",  "B4",                                                  // ->iomap_begin
      "I2",  "I3",  "I3a", "I4",  "I6",                             // the copy loop
      "E4'", "E5",  "E6",  "E7",                                    // v6.1 cleanup
      "R1",  "R3",  "R4",  "R5",  "R7",  "R8",                      // v6.2 cleanup
      "M2",  "M4",  "M5",  "M6",  "M7",  "M10", "M11", "M12",       // mmap write fault, store
      "RF0", "RF1", "RF3", "RF4", "RF5", "RF6", "RF7",              // read fault, load
      "RD0", "RD1", "RD2", "RD3", "RD4", "RD5",                     // read(2)
      "WB1", "WB2", "WB3", "WB4", "WB5", "WB6", "WB7", "WB8",       // writeback
      "WB9", "IC1",                                                 // waiting, completion
      "TR0", "TR2", "TR3", "TR5", "TR6",                            // truncate
      "PH1", "PH2", "PH3", "PH4",                                   // punch hole
      "EV1",                                                        // reclaim
  };
  return ids;
}

bool is_kernel_step(const std::string& id) {
  const std::vector<std::string>& ids = kernel_steps();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace fsmc::model
