// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for an emulated I/O memory mapper that only one other
 * architecture builds: lib/Kconfig's INDIRECT_MAP has no prompt and
 * only arch/um/Kconfig selects it. Its map_io() takes a mutex.
 */
struct mutex;
extern struct mutex regions_mtx;

void *map_io(unsigned long phys, unsigned long size)
{
	mutex_lock(&regions_mtx);
	mutex_unlock(&regions_mtx);
	return (void *)phys;
}
EXPORT_SYMBOL(map_io);
