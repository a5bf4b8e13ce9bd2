// Internal: a small command-line parser for the rrd commands: positional inputs, options that take
// a value (`-o FILE`, `--max-rows=N` or `--max-rows N`), repeatable options, and flags.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rerun::rrd {

struct ParsedArgs {
    std::vector<std::string> inputs;
    std::map<std::string, std::vector<std::string>> values;  // option -> values, in order
    std::multiset<std::string> flags;                        // -v twice counts twice
    std::string error;                                       // set when parsing failed

    std::optional<std::string> value(const std::string& name) const {
        auto it = values.find(name);
        if (it == values.end() || it->second.empty()) return std::nullopt;
        return it->second.back();
    }
    const std::vector<std::string>& all(const std::string& name) const {
        static const std::vector<std::string> none;
        auto it = values.find(name);
        return it == values.end() ? none : it->second;
    }
    size_t count(const std::string& flag) const { return flags.count(flag); }
};

// `with_value`: options that take a value; `flag_names`: options that do not. Anything else that
// starts with '-' (except "-" alone, meaning stdin) is an error naming the option.
inline ParsedArgs parse_args(const std::vector<std::string>& args, size_t first,
                             const std::set<std::string>& with_value,
                             const std::set<std::string>& flag_names) {
    ParsedArgs out;
    for (size_t i = first; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") {
            out.inputs.insert(out.inputs.end(), args.begin() + long(i) + 1, args.end());
            break;
        }
        if (a.size() < 2 || a[0] != '-') {
            out.inputs.push_back(a);
            continue;
        }
        std::string name = a, inline_value;
        bool has_inline = false;
        if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
            name = a.substr(0, eq);
            inline_value = a.substr(eq + 1);
            has_inline = true;
        }
        if (name == "-vv") {
            out.flags.insert("-v");
            out.flags.insert("-v");
            continue;
        }
        if (with_value.count(name)) {
            if (!has_inline && i + 1 >= args.size()) {
                out.error = "option " + name + " needs a value";
                return out;
            }
            out.values[name].push_back(has_inline ? inline_value : args[++i]);
        } else if (flag_names.count(name) && !has_inline) {
            out.flags.insert(name);
        } else {
            out.error = "unknown option " + name;
            return out;
        }
    }
    return out;
}

}  // namespace rerun::rrd
