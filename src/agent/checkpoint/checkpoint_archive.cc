#include "agent/checkpoint/checkpoint_archive.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "agent/executor/unique_fd.h"
#include "common/sha256.h"

namespace gleaner::agent {

namespace {

constexpr size_t kBlock = 512;
using Header = std::array<char, kBlock>;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// One entry of a directory tree, found without following symlinks.
struct Entry {
  std::string path;  // relative, '/'-separated
  bool directory = false;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  mode_t mode = 0;
};

// Lists regular files and directories under the open directory `dir_fd`,
// depth first, sorted by name at each level.
Status Walk(int dir_fd, const std::string& prefix, std::vector<Entry>& out) {
  int dup_fd = ::dup(dir_fd);
  if (dup_fd < 0) return Internal(Errno("dup"));
  DIR* dir = ::fdopendir(dup_fd);
  if (!dir) {
    ::close(dup_fd);
    return Internal(Errno("cannot read checkpoint dir '" + prefix + "'"));
  }
  std::vector<std::string> names;
  while (dirent* d = ::readdir(dir)) {
    std::string name = d->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    struct stat st;
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
    std::string path = prefix.empty() ? name : prefix + "/" + name;
    if (S_ISREG(st.st_mode)) {
      out.push_back({path, false, st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec,
                     st.st_mode & 07777});
    } else if (S_ISDIR(st.st_mode)) {
      out.push_back({path, true, 0, 0, st.st_mode & 07777});
      UniqueFd sub(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub.valid()) continue;  // replaced by something else meanwhile
      GLEANER_RETURN_IF_ERROR(Walk(sub.get(), path, out));
    }
    // Symlinks, fifos, sockets and devices are not part of a checkpoint.
  }
  return OkStatus();
}

// Absent directory: no entries.
Result<std::vector<Entry>> List(const std::string& dir) {
  std::vector<Entry> entries;
  UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root.valid()) {
    if (errno == ENOENT) return entries;
    return Internal(Errno("cannot open checkpoint dir '" + dir + "'"));
  }
  GLEANER_RETURN_IF_ERROR(Walk(root.get(), "", entries));
  return entries;
}

void PutOctal(char* field, size_t width, uint64_t value) {
  // width-1 octal digits and a NUL, zero padded.
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  field[width - 1] = '\0';
}

uint64_t GetOctal(const char* field, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width && field[i] >= '0' && field[i] <= '7'; ++i) v = v * 8 + static_cast<uint64_t>(field[i] - '0');
  return v;
}

unsigned Checksum(const Header& h) {
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
  }
  return sum;
}

// Splits `name` into ustar's prefix (155) and name (100) fields.
bool SplitName(const std::string& name, std::string& prefix, std::string& rest) {
  if (name.size() <= 100) {
    prefix.clear();
    rest = name;
    return true;
  }
  for (size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
    if (slash <= 155 && name.size() - slash - 1 <= 100 && slash + 1 < name.size()) {
      prefix = name.substr(0, slash);
      rest = name.substr(slash + 1);
      return true;
    }
  }
  return false;
}

Result<Header> MakeHeader(const Entry& e) {
  Header h{};
  std::string name = e.directory ? e.path + "/" : e.path;
  std::string prefix, rest;
  if (!SplitName(name, prefix, rest)) {
    return InvalidArgument("checkpoint file name too long to pack (over 255 bytes): '" + e.path + "'");
  }
  std::memcpy(h.data(), rest.data(), rest.size());
  PutOctal(&h[100], 8, e.mode & 0777);
  PutOctal(&h[108], 8, 0);
  PutOctal(&h[116], 8, 0);
  PutOctal(&h[124], 12, static_cast<uint64_t>(e.size));
  PutOctal(&h[136], 12, static_cast<uint64_t>(std::max<int64_t>(0, e.mtime_ns / 1'000'000'000)));
  h[156] = e.directory ? '5' : '0';
  std::memcpy(&h[257], "ustar", 6);
  std::memcpy(&h[263], "00", 2);
  std::memcpy(&h[345], prefix.data(), prefix.size());
  PutOctal(&h[148], 7, Checksum(h));  // six digits, NUL, then the space already there
  h[155] = ' ';
  return h;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Reads exactly `size` bytes unless the input ends first; returns how many.
size_t ReadFull(int fd, char* data, size_t size) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, data + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  return got;
}

// A name safe to create under the target: relative, no "..", no empty part.
bool SafeName(const std::string& name) {
  if (name.empty() || name.front() == '/') return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

}  // namespace

Result<std::string> CheckpointFingerprint(const std::string& dir) {
  auto entries = List(dir);
  if (!entries.ok()) return entries.error();
  if (entries->empty()) return std::string();
  Sha256 digest;
  for (const auto& e : *entries) {
    std::string line = e.path + '\0' + (e.directory ? "d" : "f") + std::to_string(e.size) + ':' +
                       std::to_string(e.mtime_ns) + ':' + std::to_string(e.mode) + '\n';
    digest.Update(line.data(), line.size());
  }
  return digest.FinishHex();
}

Result<ArchiveSummary> WriteCheckpointArchive(const std::string& dir, const std::string& archive, int64_t max_bytes) {
  auto entries = List(dir);
  if (!entries.ok()) return entries.error();
  ArchiveSummary summary;
  for (const auto& e : *entries) summary.bytes += e.size;
  if (summary.bytes > max_bytes) {
    return Error{ErrorCode::kPayloadTooLarge, "the checkpoint holds " + std::to_string(summary.bytes) +
                                                  " bytes, over the agent's limit of " + std::to_string(max_bytes)};
  }
  UniqueFd out(::open(archive.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!out.valid()) return Internal(Errno("cannot create '" + archive + "'"));
  UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  std::vector<char> buffer(1 << 16);
  for (const auto& e : *entries) {
    auto header = MakeHeader(e);
    if (!header.ok()) return header.error();
    if (!WriteAll(out.get(), header->data(), kBlock)) return Internal(Errno("cannot write '" + archive + "'"));
    if (e.directory) continue;
    UniqueFd in(::openat(root.get(), e.path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st;
    if (!in.valid() || ::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return Unavailable("checkpoint file '" + e.path + "' changed while it was packed");
    }
    // Exactly the size in the header: a file that shrank meanwhile is an
    // inconsistent checkpoint, so the caller tries again later.
    int64_t left = e.size;
    while (left > 0) {
      size_t want = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(buffer.size())));
      size_t got = ReadFull(in.get(), buffer.data(), want);
      if (got != want) return Unavailable("checkpoint file '" + e.path + "' changed while it was packed");
      if (!WriteAll(out.get(), buffer.data(), got)) return Internal(Errno("cannot write '" + archive + "'"));
      left -= static_cast<int64_t>(got);
    }
    size_t pad = (kBlock - static_cast<size_t>(e.size) % kBlock) % kBlock;
    Header zeros{};
    if (pad && !WriteAll(out.get(), zeros.data(), pad)) return Internal(Errno("cannot write '" + archive + "'"));
    summary.files++;
  }
  Header zeros{};
  if (!WriteAll(out.get(), zeros.data(), kBlock) || !WriteAll(out.get(), zeros.data(), kBlock)) {
    return Internal(Errno("cannot write '" + archive + "'"));
  }
  return summary;
}

Status ExtractCheckpointArchive(const std::string& archive, const std::string& dir,
                                const std::optional<FileOwner>& owner) {
  UniqueFd in(::open(archive.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return Internal(Errno("cannot open '" + archive + "'"));
  UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root.valid()) return Internal(Errno("cannot open '" + dir + "'"));
  auto give = [&](int fd, const std::string& name) -> Status {
    if (owner && ::fchown(fd, owner->uid, owner->gid) != 0) return Internal(Errno("cannot chown '" + name + "'"));
    return OkStatus();
  };
  std::vector<char> buffer(1 << 16);
  for (;;) {
    Header h;
    if (ReadFull(in.get(), h.data(), kBlock) != kBlock) return InvalidArgument("checkpoint archive ends early");
    if (std::all_of(h.begin(), h.end(), [](char c) { return c == 0; })) return OkStatus();
    if (GetOctal(&h[148], 8) != Checksum(h)) return InvalidArgument("checkpoint archive has a damaged header");
    std::string name(h.data(), strnlen(h.data(), 100));
    std::string prefix(&h[345], strnlen(&h[345], 155));
    if (!prefix.empty()) name = prefix + "/" + name;
    char type = h[156];
    bool directory = type == '5';
    if (directory && !name.empty() && name.back() == '/') name.pop_back();
    if (!directory && type != '0' && type != '\0') {
      return InvalidArgument("checkpoint archive holds '" + name + "', which is not a file or a directory");
    }
    if (!SafeName(name)) return InvalidArgument("checkpoint archive holds an unsafe name '" + name + "'");
    mode_t mode = static_cast<mode_t>(GetOctal(&h[100], 8) & 0777);
    if (directory) {
      if (::mkdirat(root.get(), name.c_str(), mode | 0700) != 0 && errno != EEXIST) {
        return Internal(Errno("cannot create '" + name + "'"));
      }
      UniqueFd d(::openat(root.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!d.valid()) return Internal(Errno("cannot open '" + name + "'"));
      GLEANER_RETURN_IF_ERROR(give(d.get(), name));
      continue;
    }
    // Parents come before their files in our archives; a missing one is an error.
    UniqueFd f(::openat(root.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode | 0600));
    if (!f.valid()) return Internal(Errno("cannot create '" + name + "'"));
    GLEANER_RETURN_IF_ERROR(give(f.get(), name));
    uint64_t left = GetOctal(&h[124], 12);
    uint64_t padded = (left + kBlock - 1) / kBlock * kBlock;
    uint64_t skip = padded - left;
    while (left > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(left, buffer.size()));
      if (ReadFull(in.get(), buffer.data(), want) != want) return InvalidArgument("checkpoint archive ends early");
      if (!WriteAll(f.get(), buffer.data(), want)) return Internal(Errno("cannot write '" + name + "'"));
      left -= want;
    }
    if (skip && ReadFull(in.get(), buffer.data(), static_cast<size_t>(skip)) != skip) {
      return InvalidArgument("checkpoint archive ends early");
    }
  }
}

}  // namespace gleaner::agent
