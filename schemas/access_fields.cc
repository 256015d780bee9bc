// `access.users` and `access.groups` — users and groups of user.cfg (/access/users, /access/groups).
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec AccessUserSection() {
  return {.path = "access.users",
          .kind = "access_user",
          .identity = "userid",
          .item = Object("access_user", "A user (only declared users are managed)",
                         {
                             String("userid", "user id name@realm").Format("pve-userid").MaxLength(64).Required()
                                 .Example("alice@pve"),
                             StateField({"present", "absent"}, "absent deletes the user and its tokens"),
                             Bool("enable", "the user may log in (default true)"),
                             Int("expire", "account expiry, seconds since the epoch (0 never)").Min(0),
                             List("groups", "the groups the user is a member of",
                                  String("group", "").Format("pve-groupid").Ref("access_group"))
                                 .Set(),
                             String("comment", "free text").MaxLength(2048),
                             String("email", "mail address").MaxLength(254),
                             String("firstname", "first name").MaxLength(1024),
                             String("lastname", "last name").MaxLength(1024),
                         })};
}

SectionSpec AccessGroupSection() {
  return {.path = "access.groups",
          .kind = "access_group",
          .identity = "groupid",
          .item = Object("access_group", "A user group (members are set on the users)",
                         {
                             String("groupid", "group id").Format("pve-groupid").Required().Example("admins"),
                             StateField({"present", "absent"}, "absent deletes the group"),
                             String("comment", "free text").MaxLength(4096),
                         })};
}

}  // namespace hainfra::schemas
