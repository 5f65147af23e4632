// Integration tests boot real servers on 2 cores: one estate at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
