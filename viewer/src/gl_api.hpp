// OpenGL entry points. libGL/libOpenGL export the whole core API on Linux (glvnd/Mesa), so the
// prototypes are used directly; no loader library is needed.
#pragma once

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
