package mockcloud

// ShowDataForTest exposes the show answer's template values to the external
// tests, which check that the fixtures use no value the handler lacks.
var ShowDataForTest = showData
