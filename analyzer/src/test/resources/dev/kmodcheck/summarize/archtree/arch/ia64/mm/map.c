// SPDX-License-Identifier: GPL-2.0
/* Stand-in for a third architecture's own map_io(): it waits. */
struct mutex;
extern struct mutex map_mutex;

void *map_io(unsigned long phys, unsigned long size)
{
	mutex_lock(&map_mutex);
	mutex_unlock(&map_mutex);
	return (void *)phys;
}
