// The rerun C++ SDK: everything a program needs to log data.
//
//   #include <rerun.hpp>
//   const auto rec = rerun::RecordingStream("my_app");
//   rec.spawn().exit_on_failure();
//   rec.log("points", rerun::Points3D(points).with_colors(colors).with_radii({0.5f}));
#pragma once

#include "rerun/archetypes/boxes.hpp"
#include "rerun/archetypes/image.hpp"
#include "rerun/archetypes/lines.hpp"
#include "rerun/archetypes/mesh.hpp"
#include "rerun/archetypes/points.hpp"
#include "rerun/archetypes/series.hpp"
#include "rerun/archetypes/text.hpp"
#include "rerun/archetypes/transform.hpp"
#include "rerun/blueprint.hpp"
#include "rerun/collection.hpp"
#include "rerun/components.hpp"
#include "rerun/datatypes.hpp"
#include "rerun/error.hpp"
#include "rerun/recording_stream.hpp"
#include "rerun/sinks.hpp"

namespace rerun {
using archetypes::Arrows2D;
using archetypes::Arrows3D;
using archetypes::Boxes2D;
using archetypes::Boxes3D;
using archetypes::Clear;
using archetypes::DepthImage;
using archetypes::Image;
using archetypes::LineStrips2D;
using archetypes::LineStrips3D;
using archetypes::Mesh3D;
using archetypes::Pinhole;
using archetypes::Points2D;
using archetypes::Points3D;
using archetypes::Scalar;
using archetypes::Scalars;
using archetypes::SeriesLines;
using archetypes::SeriesPoints;
using archetypes::TextDocument;
using archetypes::TextLog;
using archetypes::Transform3D;
using archetypes::ViewCoordinates;
}  // namespace rerun
