#include <doctest/doctest.h>

#include <unordered_set>

#include "rerun/core/entity_path.hpp"

using rerun::core::EntityPath;

TEST_CASE("leading slash does not matter") {
    const auto a = EntityPath::parse("world/robot/arm");
    const auto b = EntityPath::parse("/world/robot/arm");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a == *b);
    CHECK(a->hash() == b->hash());
    CHECK(a->to_string() == "/world/robot/arm");
    CHECK(a->parts() == std::vector<std::string>{"world", "robot", "arm"});
    CHECK(EntityPath::parse("world/robot/arm/")->to_string() == "/world/robot/arm");
}

TEST_CASE("root") {
    CHECK(EntityPath::parse("/")->is_root());
    CHECK(EntityPath::parse("")->is_root());
    CHECK(EntityPath().to_string() == "/");
    CHECK(EntityPath().parent().is_root());
}

TEST_CASE("escaping round-trips any part") {
    const std::vector<std::string> parts = {"with space",  "a/b", "back\\slash", "tab\there",
                                            "caf\xC3\xA9", "x",   "\x01\x7f",    "dots.and-dash_"};
    const EntityPath path(parts);
    const auto text = path.to_string();
    CHECK(text ==
          "/with\\ space/a\\/b/back\\\\slash/tab\\x09here/caf\xC3\xA9/x/\\x01\\x7F/dots.and-dash_");
    const auto back = EntityPath::parse(text);
    REQUIRE(back);
    CHECK(back->parts() == parts);
    CHECK(*back == path);
}

TEST_CASE("strict parse rejects what it cannot represent") {
    std::string error;
    CHECK_FALSE(EntityPath::parse("a//b", &error));
    CHECK(error.find("empty part") != std::string::npos);
    CHECK_FALSE(EntityPath::parse("a/b\\", &error));
    CHECK(error.find("dangling") != std::string::npos);
    CHECK_FALSE(EntityPath::parse("a/\\xZZ", &error));
    std::string deep;
    for (size_t i = 0; i < EntityPath::kMaxParts; ++i)
        deep += "/p";
    CHECK(EntityPath::parse(deep, &error));
    CHECK_FALSE(EntityPath::parse(deep + "/p", &error));
    CHECK(error.find("more than 1024 parts") != std::string::npos);
    // The lenient form keeps going.
    CHECK(EntityPath::parse_lenient("a//b").to_string() == "/a/b");
    CHECK(EntityPath::parse_lenient("a\\").parts() == std::vector<std::string>{"a\\"});
}

TEST_CASE("parent, child, join and ancestry") {
    const auto arm = *EntityPath::parse("world/robot/arm");
    const auto robot = *EntityPath::parse("world/robot");
    CHECK(arm.parent() == robot);
    CHECK(arm.is_child_of(robot));
    CHECK_FALSE(robot.is_child_of(arm));
    CHECK(arm.starts_with(robot));
    CHECK(arm.starts_with(arm));
    CHECK(arm.starts_with(EntityPath()));
    CHECK_FALSE(EntityPath::parse("world/robotic")->starts_with(robot));
    CHECK(robot.join("arm") == arm);
}

TEST_CASE("hashes differ for different paths and part boundaries") {
    std::unordered_set<uint64_t> hashes;
    for (const char* p : {"/a/bc", "/ab/c", "/abc", "/a/b/c", "/", "/a", "/b"}) {
        hashes.insert(EntityPath::parse(p)->hash());
    }
    CHECK(hashes.size() == 7);
}
