package model

// SharePasses is how many passes over the services resolving has made
// (sharesFor), for TestResolveAllWalksServicesOncePerLayers.
func SharePasses() int64 { return sharePasses.Load() }
