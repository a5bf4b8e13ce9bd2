// `rerun rrd merge` of two files versus `cat a b > out` of the same files, in the same run.
//   bench_merge [--size-mb N] [--dir DIR] [--keep-inputs]   (default: two 1024 MB files in /tmp)
// Both read from the page cache and make the output durable (fsync); each is timed three times,
// alternating, and the best run of each is kept.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "rerun/core/codec.hpp"
#include "rerun/rrd/rrd_command.hpp"

using namespace rerun::core;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Writes `bytes` worth of 1 MiB point-cloud chunks for recording "bench".
void write_file(const fs::path& path, uint64_t bytes, const std::string& entity) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::perror(path.c_str());
        std::exit(1);
    }
    const StoreId store{StoreKind::Recording, "bench"};
    Bytes out;
    append_file_header(out);
    append_frame(out, StoreInfo{store, "bench", 1, {"cpp", "0", "bench_merge"}});
    const size_t points = (1 << 20) / 12;
    uint64_t written = 0;
    for (int64_t frame = 0; written < bytes; ++frame) {
        auto chunk = std::make_shared<Chunk>();
        chunk->id = Tuid::make();
        chunk->entity_path = EntityPath::parse_lenient(entity);
        chunk->num_rows = 1;
        chunk->row_ids = Buffer::from_vector(std::vector<Tuid>{Tuid::make()});
        TimeColumn time;  // built by parts: GCC 12 -O3 warns on the brace-initialised temporary
        time.timeline.name = "frame";
        time.timeline.type = TimeType::Sequence;
        time.times = Buffer::from_vector(std::vector<int64_t>{frame});
        chunk->timelines.push_back(std::move(time));
        ComponentColumn c;
        c.descriptor = {"rerun.archetypes.Points3D", "Points3D:positions",
                        "rerun.components.Position3D"};
        c.type = {ElementKind::Fixed, ScalarType::F32, 3};
        c.num_rows = 1;
        c.row_offsets = Buffer::from_vector(std::vector<uint32_t>{0, uint32_t(points)});
        std::vector<float> xyz(points * 3);
        for (size_t i = 0; i < xyz.size(); ++i)
            xyz[i] = float((i * 7 + size_t(frame)) % 1000);
        c.values = Buffer::from_vector(std::move(xyz));
        chunk->components.push_back(std::move(c));
        append_frame(out, ChunkMessage{store, chunk});
        written += out.size();
        std::fwrite(out.data(), 1, out.size(), f);
        out.clear();
    }
    // On disk before anything is timed, so that their write-back does not fall into a measurement.
    if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0) {
        std::perror(path.c_str());
        std::exit(1);
    }
    std::fclose(f);
}

double timed(const std::function<void()>& run) {
    const auto start = Clock::now();
    run();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t size_mb = 1024;
    fs::path dir = "/tmp";
    bool keep_inputs = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--size-mb" && i + 1 < argc) {
            size_mb = std::stoull(argv[++i]);
        } else if (arg == "--dir" && i + 1 < argc) {
            dir = argv[++i];
        } else if (arg == "--keep-inputs") {
            keep_inputs = true;
        } else {
            std::fprintf(stderr,
                         "usage: bench_merge [--size-mb N] [--dir DIR] [--keep-inputs]\n"
                         "  --keep-inputs: leave DIR/bench_merge_{a,b}.rrd for profiling\n");
            return 2;
        }
    }
    const fs::path a = dir / "bench_merge_a.rrd", b = dir / "bench_merge_b.rrd";
    const fs::path merged = dir / "bench_merge_out.rrd", catted = dir / "bench_merge_cat.rrd";
    write_file(a, size_mb << 20, "left");
    write_file(b, size_mb << 20, "right");
    const double total = double(fs::file_size(a) + fs::file_size(b));

    auto remove_all = [&] {
        for (const auto& p : {a, b, merged, catted}) {
            if (!keep_inputs || (p != a && p != b)) fs::remove(p);
        }
    };
    // Both make their output durable: merge fsyncs before renaming it into place, so the limit
    // is cat followed by `sync FILE` (an fsync of that one file).
    const std::string cat = "cat '" + a.string() + "' '" + b.string() + "' > '" + catted.string() +
                            "' && sync '" + catted.string() + "'";
    bool failed = false;
    double cat_secs = 1e300, merge_secs = 1e300;
    for (int round = 0; round < 3 && !failed; ++round) {  // alternated, so drift hits both
        cat_secs = std::min(cat_secs, timed([&] { failed |= std::system(cat.c_str()) != 0; }));
        merge_secs = std::min(merge_secs, timed([&] {
                                  failed |=
                                      rerun::rrd::run_rrd_command({"merge", "-o", merged.string(),
                                                                   a.string(), b.string()}) != 0;
                              }));
    }
    // The merged file holds everything but the second file header and the repeated store info.
    if (failed || fs::file_size(merged) + 4096 < uint64_t(total)) {
        std::fprintf(stderr, "bench_merge: cat or merge failed (or merge wrote too little)\n");
        remove_all();
        return 1;
    }
    std::printf("merge of two %llu MB files\n", static_cast<unsigned long long>(size_mb));
    std::printf("  cat a b > out; sync out (the limit) %7.3f s  %6.2f GB/s\n", cat_secs,
                total / cat_secs / 1e9);
    std::printf(
        "  rerun rrd merge -o out a b  %7.3f s  %6.2f GB/s  ratio to cat %.2fx (goal >= 0.5x)\n",
        merge_secs, total / merge_secs / 1e9, cat_secs / merge_secs);
    remove_all();
    return 0;
}
