// The end-to-end run boots a whole estate on 2 cores: one test class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
