// Status and Result are part of the public face: see postmottak/status.h.
#ifndef POSTMOTTAK_STORAGE_STATUS_H_
#define POSTMOTTAK_STORAGE_STATUS_H_

#include "postmottak/status.h"

#endif  // POSTMOTTAK_STORAGE_STATUS_H_
