// dist/model/types.js
function qualifiedName(obj) {
  return obj.schema ? `${obj.schema}.${obj.name}` : obj.name;
}

export {
  qualifiedName
};
