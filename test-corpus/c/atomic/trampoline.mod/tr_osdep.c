// SPDX-License-Identifier: GPL-2.0
/*
 * The module's portable wrapper around its header's timer object, called from its other files:
 * a wrapper of the wrapper that stores the callback and registers the trampoline.
 */
#include "tramp.h"

void tr_init_timer(struct tr_timer *tt, void *adapter, void *fn, void *ctx)
{
	_tr_init_timer(tt, fn, NULL, ctx);
}
