// Everything a model needs from the engine.
#pragma once

#include "rt/executor.hpp"
#include "rt/hash.hpp"
#include "search/search.hpp"
#include "sync/mutex.hpp"
#include "sync/rwsem.hpp"
#include "sync/shared.hpp"
