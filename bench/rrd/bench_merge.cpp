// `rerun rrd merge` of two files versus `cat a b > out` of the same files, in the same run.
//   bench_merge [--size-mb N] [--dir DIR]     (default: two files of 1024 MB in /tmp)
// Both read from the page cache and make the output durable (fsync); each is timed twice and the
// best run is kept.
#include <sys/wait.h>
#include <unistd.h>

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
        chunk->timelines.push_back(
            {{"frame", TimeType::Sequence}, Buffer::from_vector(std::vector<int64_t>{frame})});
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
    std::fclose(f);
}

double best_of_two(const std::function<void()>& run) {
    double best = 1e300;
    for (int i = 0; i < 2; ++i) {
        const auto start = Clock::now();
        run();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t size_mb = 1024;
    fs::path dir = "/tmp";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--size-mb" && i + 1 < argc) {
            size_mb = std::stoull(argv[++i]);
        } else if (arg == "--dir" && i + 1 < argc) {
            dir = argv[++i];
        } else {
            std::fprintf(stderr, "usage: bench_merge [--size-mb N] [--dir DIR]\n");
            return 2;
        }
    }
    const fs::path a = dir / "bench_merge_a.rrd", b = dir / "bench_merge_b.rrd";
    const fs::path merged = dir / "bench_merge_out.rrd", catted = dir / "bench_merge_cat.rrd";
    write_file(a, size_mb << 20, "left");
    write_file(b, size_mb << 20, "right");
    const double total = double(fs::file_size(a) + fs::file_size(b));

    const std::string cat =
        "cat '" + a.string() + "' '" + b.string() + "' > '" + catted.string() + "'";
    const double cat_secs = best_of_two([&] {
        if (std::system(cat.c_str()) != 0) std::exit(1);
    });
    const double merge_secs = best_of_two([&] {
        if (rerun::rrd::run_rrd_command({"merge", "-o", merged.string(), a.string(), b.string()}) !=
            0)
            std::exit(1);
    });
    std::printf("merge of two %llu MB files\n", static_cast<unsigned long long>(size_mb));
    std::printf("  cat a b > out; sync out (the limit) %7.3f s  %6.2f GB/s\n", cat_secs,
                total / cat_secs / 1e9);
    std::printf(
        "  rerun rrd merge -o out a b  %7.3f s  %6.2f GB/s  ratio to cat %.2fx (goal >= 0.5x)\n",
        merge_secs, total / merge_secs / 1e9, cat_secs / merge_secs);
    for (const auto& p : {a, b, merged, catted})
        fs::remove(p);
    return 0;
}
