#include "transcode_support.hpp"
