#include <doctest/doctest.h>

#include "rerun/core/byte_size.hpp"

using rerun::core::parse_byte_size;

TEST_CASE("byte sizes: plain numbers and decimal units") {
    CHECK(parse_byte_size("1048576") == 1048576u);
    CHECK(parse_byte_size("0") == 0u);
    CHECK(parse_byte_size("10MB") == 10'000'000u);
    CHECK(parse_byte_size("2 GB") == 2'000'000'000u);
    CHECK(parse_byte_size("1.5gb") == 1'500'000'000u);
    CHECK(parse_byte_size("3k") == 3000u);
    CHECK(parse_byte_size("7B") == 7u);
    CHECK(parse_byte_size("1TB") == 1'000'000'000'000u);
}

TEST_CASE("byte sizes: binary units, case-insensitive") {
    CHECK(parse_byte_size("384KiB") == 384u * 1024);
    CHECK(parse_byte_size("512mib") == 512ull << 20);
    CHECK(parse_byte_size("1 GiB") == 1ull << 30);
    CHECK(parse_byte_size("2TiB") == 2ull << 40);
}

TEST_CASE("byte sizes: garbage is refused") {
    CHECK_FALSE(parse_byte_size(""));
    CHECK_FALSE(parse_byte_size("MB"));
    CHECK_FALSE(parse_byte_size("-5MB"));
    CHECK_FALSE(parse_byte_size("2XB"));
    CHECK_FALSE(parse_byte_size("1..2"));
    CHECK_FALSE(parse_byte_size("20000000TB"));  // more than 2^64 bytes
}
