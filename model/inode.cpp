#include "model/inode.hpp"

namespace fsmc::model {

std::string describe(const Folio& f) {
  if (!f.present) return "absent";
  std::string s = f.dirty ? "dirty" : f.uptodate ? "clean" : "!uptodate";
  if (f.writeback) s += "+writeback";
  if (f.writable) s += "+rw-pte";
  else if (f.mapped) s += "+ro-pte";
  return s;
}

namespace {
// A page's sectors with each tag named as `name` says.
template <class Name>
uint64_t key(const Sectors& s, Name name) {
  static_assert(sectors_per_page % 2 == 0 && sizeof(Data) == 4);
  uint64_t h = 0;
  for (uint32_t i = 0; i < sectors_per_page; i += 2) h = fold(h, uint64_t{name(s[i])} | uint64_t{name(s[i + 1])} << 32);
  return mix(h, 0);
}
Data as_is(Data d) { return d; }
}  // namespace

uint64_t key(const Sectors& s) { return key(s, as_is); }

uint64_t Ctx::locals_hash(const void* ctx) {
  const Ctx& c = *static_cast<const Ctx*>(ctx);
  uint64_t h = c.depth;
  for (uint32_t i = 0; i < c.depth; ++i) {
    h = fold(h, c.counts[i]);
    for (uint32_t v = 0; v < c.counts[i]; ++v) h = fold(h, c.frames[i][v]);
  }
  return mix(h, 0);
}

namespace {
struct Hasher {
  uint64_t h = 0;
  void add(uint64_t v) { h = fold(h, v); }
};

uint64_t folio_word(const Folio& f) {
  return uint64_t{f.present} | uint64_t{f.uptodate} << 1 | uint64_t{f.dirty} << 2 | uint64_t{f.writeback} << 3 |
         uint64_t{f.mapped} << 4 | uint64_t{f.writable} << 5 | uint64_t{f.gen} << 8;
}

// Each engine object's share of the state; hash_state is all of them.
// The data in it is named by `name` (symmetry renames it). own_data lists
// the same Sectors fields.
template <class Name>
void add_page(Hasher& x, const Inode& ip, uint32_t p, Name name) {
  x.add(folio_word(ip.cache[p]));
  x.add(key(ip.cache[p].data, name));
  x.add(ip.slot_gen[p]);
  x.add(key(ip.promised[p].data, name));
  x.add(ip.promised[p].any);
  x.add(static_cast<uint64_t>(ip.ioend[p].state));
  x.add(key(ip.ioend[p].data, name));
  x.add(ip.ioend[p].end);
}
template <class Name>
void add_extent(Hasher& x, const Inode& ip, uint32_t p, Name name) {
  x.add(static_cast<uint64_t>(ip.i_df[p]));
  x.add(key(ip.disk[p], name));
}

template <class Name>
uint64_t hash_object(const Inode& ip, ObjectId o, Name name) {
  Hasher x;
  if (o == ip.size_obj) x.add(ip.i_size);
  if (o == ip.delayed_obj) {
    x.add(static_cast<uint64_t>(ip.i_delayed_blks));
    x.add(ip.m_fdblocks.value_or(UINT64_MAX));
  }
  if (o == ip.seq_obj) x.add(ip.if_seq);
  if (o == ip.warn_obj) x.add(!ip.warning.empty());
  if (ip.page_obj.holds(o)) add_page(x, ip, o - ip.page_obj.first, name);
  if (ip.extent_obj.holds(o)) add_extent(x, ip, o - ip.extent_obj.first, name);
  return x.h;
}
}  // namespace

uint64_t hash_state(const Inode& ip) {
  Hasher x;
  x.add(ip.i_size);
  x.add(static_cast<uint64_t>(ip.i_delayed_blks));
  x.add(ip.m_fdblocks.value_or(UINT64_MAX));
  x.add(ip.if_seq);
  x.add(!ip.warning.empty());
  for (uint32_t p = 0; p < ip.pages(); ++p) {
    add_page(x, ip, p, as_is);
    add_extent(x, ip, p, as_is);
  }
  return x.h;
}

uint64_t hash_object(const Inode& ip, ObjectId o) { return hash_object(ip, o, as_is); }

uint64_t hash_object(const Inode& ip, ObjectId o, const DataOwners& owners, const ThreadOrder& order) {
  return hash_object(ip, o, [&](Data d) { return owners.renamed(d, order); });
}

uint64_t own_data(const Inode& ip, const DataOwners& owners, ThreadId t) {
  uint64_t h = 0;
  auto scan = [&](uint64_t field, uint32_t p, const Sectors& s) {
    for (uint32_t i = 0; i < sectors_per_page; ++i)
      if (s[i] < owners.thread.size() && owners.thread[s[i]] == t)
        h += mix(mix(0, field << 40 | uint64_t{p} << 8 | i), owners.op[s[i]]);
  };
  for (uint32_t p = 0; p < ip.pages(); ++p) {
    scan(0, p, ip.cache[p].data);
    scan(1, p, ip.promised[p].data);
    scan(2, p, ip.ioend[p].data);
    scan(3, p, ip.disk[p]);
  }
  return h;
}

}  // namespace fsmc::model
