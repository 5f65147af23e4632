// Estates boot real servers on 2 cores: one at a time keeps start-up times (and health timeouts) honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
