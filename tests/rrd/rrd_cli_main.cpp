#include "rerun/rrd/rrd_command.hpp"

int main(int argc, char** argv) {
    return rerun::rrd::run_rrd_command(std::vector<std::string>(argv + 1, argv + argc));
}
